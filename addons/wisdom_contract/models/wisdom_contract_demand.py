from odoo import fields, models


class WisdomContractDemand(models.Model):
    _name = "wisdom.contract.demand"
    _description = "Customer Demand"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(string="Demand No.", required=True, copy=False, readonly=True, default="/")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    user_id = fields.Many2one("res.users", string="Sales Rep", default=lambda self: self.env.user, index=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
