from odoo import fields, models

from .sale_order import CONTRACT_TYPES


class WisdomContractTemplate(models.Model):
    _name = "wisdom.contract.template"
    _description = "Contract Template"
    _inherit = ["mail.thread"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    contract_type = fields.Selection(CONTRACT_TYPES, string="Contract Type", required=True, default="standard")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
