from odoo import fields, models


class WisdomPlanAdjustWizard(models.TransientModel):
    _name = "wisdom.plan.adjust.wizard"
    _description = "Adjust Collection Plan"

    plan_line_id = fields.Many2one("wisdom.collection.plan.line", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="plan_line_id.currency_id")
    mode = fields.Selection(
        [("move", "Move the due date"), ("split", "Split the instalment")], required=True, default="move"
    )
    amount = fields.Monetary(string="Amount to Split Off")
    due_date = fields.Date(string="New Due Date")
    reason = fields.Char(string="Reason", required=True)

    def action_apply(self):
        self.ensure_one()
        if self.mode == "split":
            self.plan_line_id._wisdom_split(self.amount, self.due_date, self.reason)
        else:
            self.plan_line_id._wisdom_move_due_date(self.due_date, self.reason)
        return {"type": "ir.actions.act_window_close"}
