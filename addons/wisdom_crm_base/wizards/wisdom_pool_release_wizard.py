from odoo import fields, models


class WisdomPoolReleaseWizard(models.TransientModel):
    _name = "wisdom.pool.release.wizard"
    _description = "Return Customers to the Public Pool"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    reason_id = fields.Many2one("wisdom.pool.release.reason", string="Reason", required=True)
    note = fields.Text(string="Details")

    def action_release(self):
        self.ensure_one()
        self.partner_ids.action_release(self.note or self.reason_id.name, reason_id=self.reason_id.id)
        return {"type": "ir.actions.act_window_close"}
