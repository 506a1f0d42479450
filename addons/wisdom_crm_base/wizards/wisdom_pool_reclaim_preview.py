from odoo import api, fields, models


class WisdomPoolReclaimPreview(models.TransientModel):
    _name = "wisdom.pool.reclaim.preview"
    _description = "Reclaim Preview"

    days = fields.Integer(string="Next Days", default=7, required=True)
    line_ids = fields.One2many("wisdom.pool.reclaim.preview.line", "preview_id", string="Customers")

    @api.model_create_multi
    def create(self, vals_list):
        previews = super().create(vals_list)
        previews._fill_lines()
        return previews

    def action_refresh(self):
        self._fill_lines()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _fill_lines(self):
        Partner = self.env["res.partner"]
        labels = {"no_followup": self.env._("No follow-up"), "no_deal": self.env._("No deal")}
        for preview in self:
            due_rows, __ = Partner._wisdom_reclaim_plan(horizon_days=preview.days)
            visible = Partner.search([("id", "in", [row["id"] for row, __ in due_rows])]).ids
            preview.line_ids = [fields.Command.clear()] + [
                fields.Command.create(
                    {
                        "partner_id": row["id"],
                        "user_id": row["user_id"],
                        "pool_id": row["pool_id"],
                        "reclaim_on": due.due_on,
                        "reason": labels[due.reason],
                        "last_followup": row["last_followup"],
                    }
                )
                for row, due in sorted(due_rows, key=lambda item: item[1].due_on)
                if row["id"] in visible
            ]


class WisdomPoolReclaimPreviewLine(models.TransientModel):
    _name = "wisdom.pool.reclaim.preview.line"
    _description = "Reclaim Preview Line"
    _order = "reclaim_on, id"

    preview_id = fields.Many2one("wisdom.pool.reclaim.preview", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    pool_id = fields.Many2one("wisdom.customer.pool", string="Public Pool", readonly=True)
    reclaim_on = fields.Datetime(string="Returns to Pool On", readonly=True)
    reason = fields.Char(readonly=True)
    last_followup = fields.Datetime(string="Last Follow-up", readonly=True)
