from odoo import fields, models


class WisdomPoolAssignWizard(models.TransientModel):
    _name = "wisdom.pool.assign.wizard"
    _description = "Assign or Transfer Customers"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    user_id = fields.Many2one(
        "res.users",
        string="New Owner",
        required=True,
        domain=lambda self: [("group_ids", "in", self.env.ref("wisdom_crm_base.group_wisdom_rep").ids)],
    )
    pool_id = fields.Many2one("wisdom.customer.pool", string="Move to Pool")
    reason = fields.Char(required=True)
    transfer_open_items = fields.Boolean(
        string="Transfer Open Opportunities and Activities",
        default=True,
        help="The previous owner's open opportunities and activities on these customers go to the new owner.",
    )

    def action_assign(self):
        self.ensure_one()
        self.partner_ids.with_context(wisdom_transfer_open_items=self.transfer_open_items).action_assign(
            self.user_id.id, pool_id=self.pool_id.id, reason=self.reason
        )
        return {"type": "ir.actions.act_window_close"}
