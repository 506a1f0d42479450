from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# context key set by account.payment._wisdom_post_allocations(), the only way to confirm an allocation
POSTING_KEY = "wisdom_post_allocation"


class WisdomCollectionAllocation(models.Model):
    _name = "wisdom.collection.allocation"
    _description = "Collection Allocation"
    _order = "payment_id, id"

    payment_id = fields.Many2one("account.payment", string="Payment", required=True, ondelete="cascade", index=True)
    plan_line_id = fields.Many2one(
        "wisdom.collection.plan.line", string="Plan Line", required=True, ondelete="restrict", index=True
    )
    order_id = fields.Many2one(related="plan_line_id.order_id", store=True, index=True, string="Contract")
    user_id = fields.Many2one(related="plan_line_id.user_id", store=True, string="Responsible Rep")
    team_id = fields.Many2one(related="plan_line_id.team_id", store=True)
    partner_id = fields.Many2one(related="payment_id.partner_id", store=True, string="Customer")
    order_partner_id = fields.Many2one(related="plan_line_id.partner_id", store=True, string="Contract Customer")
    currency_id = fields.Many2one(related="payment_id.currency_id")
    date = fields.Date(related="payment_id.date", store=True)
    amount = fields.Monetary(string="Amount", required=True)
    state = fields.Selection(
        [("draft", "To Confirm"), ("posted", "Confirmed")], default="draft", required=True, readonly=True, index=True
    )
    confirmed_by_id = fields.Many2one("res.users", string="Confirmed By", readonly=True)
    plan_residual = fields.Monetary(related="plan_line_id.residual", string="Line Outstanding")
    plan_due_date = fields.Date(related="plan_line_id.due_date", string="Line Due Date")

    @api.constrains("amount")
    def _check_amount(self):
        if any(a.amount <= 0 for a in self):
            raise ValidationError(self.env._("An allocated amount must be greater than zero."))

    @api.constrains("plan_line_id", "payment_id")
    def _check_same_customer(self):
        for allocation in self:
            if allocation.plan_line_id.partner_id != allocation.payment_id.partner_id.commercial_partner_id:
                raise UserError(self.env._("A payment can only be allocated to the instalments of its customer."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get(POSTING_KEY):
            for vals in vals_list:
                vals.update(state="draft", confirmed_by_id=False)
        return super().create(vals_list)

    def write(self, vals):
        if {"state", "confirmed_by_id"} & set(vals) and not self.env.context.get(POSTING_KEY):
            raise UserError(self.env._("Allocations are confirmed with the Confirm Collection button only."))
        if any(a.state == "posted" for a in self) and set(vals) - {"state", "confirmed_by_id"}:
            raise UserError(self.env._("A confirmed allocation cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(a.state == "posted" for a in self) and not self.env.context.get("wisdom_allow_unpost"):
            raise UserError(self.env._("A confirmed allocation cannot be deleted."))
