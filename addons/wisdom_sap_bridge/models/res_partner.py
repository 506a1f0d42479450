from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    sap_customer_no = fields.Char(
        string="SAP Customer No.", copy=False, index="btree_not_null", tracking=True,
        help="The customer's number in SAP (KUNNR). Empty: the customer code is sent, for an SAP whose customer "
             "numbers are the CRM's customer codes (external number range).",
    )
