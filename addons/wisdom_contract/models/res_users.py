from odoo import models

CONTRACT_SCOPE_FIELDS = {
    "wisdom.contract.demand": ("user_id", "team_id"),
    "wisdom.contract.demand.line": ("demand_id.user_id", "demand_id.team_id"),
    "wisdom.contract.document": ("order_id.user_id", "order_id.team_id"),
    "wisdom.review.line": ("order_id.user_id", "order_id.team_id"),
    "wisdom.payment.term.line": ("order_id.user_id", "order_id.team_id"),
}


class ResUsers(models.Model):
    _inherit = "res.users"

    def _wisdom_record_scope_fields(self):
        return {**super()._wisdom_record_scope_fields(), **CONTRACT_SCOPE_FIELDS}
