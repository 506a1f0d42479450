from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    wisdom_credit_days_allowed = fields.Integer(
        string="Credit Days Allowed",
        tracking=True,
        help="Longest credit period finance grants this customer; longer contract terms need finance's approval.",
    )
