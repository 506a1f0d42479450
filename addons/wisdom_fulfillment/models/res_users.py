from odoo import models

FULFILMENT_SCOPE_FIELDS = {
    "wisdom.collection.plan.line": ("user_id", "team_id"),
    "wisdom.collection.allocation": ("user_id", "team_id"),
    "wisdom.shipment.request": ("user_id", "team_id"),
    "wisdom.shipment.request.line": ("request_id.user_id", "request_id.team_id"),
    "wisdom.receivable.disposal": ("user_id", "team_id"),
    "account.payment": ("partner_id.wisdom_scope_user_id", None),
}


class ResUsers(models.Model):
    _inherit = "res.users"

    def _wisdom_record_scope_fields(self):
        return {**super()._wisdom_record_scope_fields(), **FULFILMENT_SCOPE_FIELDS}
