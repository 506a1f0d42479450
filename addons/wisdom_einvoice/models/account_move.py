from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    einvoice_number = fields.Char(
        string="E-invoice Number",
        copy=False,
        index="btree_not_null",
        readonly=True,
        help="The 20-digit number of the 数电发票 this invoice records.",
    )
    einvoice_request_id = fields.Many2one(
        "wisdom.invoice.request", string="Invoice Request", copy=False, readonly=True, index="btree_not_null"
    )

    _einvoice_number_unique = models.UniqueIndex(
        "(einvoice_number, move_type) WHERE einvoice_number IS NOT NULL",
        "This e-invoice number is already recorded on another invoice.",
    )
