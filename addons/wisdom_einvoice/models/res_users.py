from odoo import models

EINVOICE_SCOPE_FIELDS = {
    "wisdom.invoice.request": ("user_id", "team_id"),
    "wisdom.invoice.request.line": ("request_id.user_id", "request_id.team_id"),
}


class ResUsers(models.Model):
    _inherit = "res.users"

    def _wisdom_record_scope_fields(self):
        return {**super()._wisdom_record_scope_fields(), **EINVOICE_SCOPE_FIELDS}
