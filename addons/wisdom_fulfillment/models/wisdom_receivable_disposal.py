from odoo import api, fields, models
from odoo.exceptions import UserError

DISPOSAL_KINDS = [
    ("extension", "Extension"),
    ("dunning", "Dunning Letter"),
    ("legal", "Legal Action"),
    ("offset", "Offset"),
    ("write_off", "Write-off"),
]


class WisdomReceivableDisposal(models.Model):
    _name = "wisdom.receivable.disposal"
    _description = "Receivable Disposal"
    _inherit = ["mail.thread", "mail.activity.mixin", "tier.validation"]
    _order = "id desc"
    _state_from = ["draft"]
    _state_to = ["done"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False
    _wisdom_restart_restricted = True

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    plan_line_id = fields.Many2one(
        "wisdom.collection.plan.line", string="Plan Line", required=True, index=True, ondelete="restrict"
    )
    order_id = fields.Many2one(related="plan_line_id.order_id", store=True, string="Contract")
    partner_id = fields.Many2one(related="plan_line_id.partner_id", store=True, string="Customer")
    user_id = fields.Many2one(related="plan_line_id.user_id", store=True, string="Responsible Rep")
    team_id = fields.Many2one(related="plan_line_id.team_id", store=True)
    company_id = fields.Many2one(related="plan_line_id.company_id", store=True)
    currency_id = fields.Many2one(related="plan_line_id.currency_id")
    line_due_date = fields.Date(related="plan_line_id.due_date", string="Due Date")
    line_residual = fields.Monetary(related="plan_line_id.residual", string="Outstanding")
    line_overdue_days = fields.Integer(related="plan_line_id.overdue_days", string="Overdue Days")
    kind = fields.Selection(DISPOSAL_KINDS, string="Disposal", required=True, default="dunning", tracking=True)
    amount = fields.Monetary(string="Amount", tracking=True)
    # what the dashboards add over contracts of several currencies: at the company rate of the day it was
    # carried out (while waiting, of the day it was last computed)
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    amount_company = fields.Monetary(
        string="Amount (Company Currency)",
        compute="_compute_amount_company",
        store=True,
        currency_field="company_currency_id",
    )
    new_due_date = fields.Date(string="New Due Date", tracking=True)
    reason = fields.Text(string="Reason", required=True)
    result = fields.Text(string="Result", tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    done_date = fields.Date(string="Done On", readonly=True, copy=False)

    _amount_not_negative = models.Constraint("CHECK (amount >= 0)", "A disposal amount cannot be negative.")

    # COMPUTE METHODS

    @api.depends("amount", "plan_line_id.currency_id", "company_id", "done_date")
    def _compute_amount_company(self):
        for disposal in self:
            company = disposal.company_id or self.env.company
            disposal.amount_company = company._wisdom_company_total(
                [(disposal.currency_id, disposal.amount)], disposal.done_date
            )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("wisdom.receivable.disposal") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if {"state", "done_date"} & set(vals) and not self.env.context.get("wisdom_disposal_step"):
            raise UserError(self.env._("Use Carry Out or Cancel to change the status of a disposal."))
        return super().write(vals)

    # ACTION METHODS

    def action_done(self):
        """Carry out the approved disposal: extension moves the due date, offset / write-off / legal
        action take the amount out of the outstanding and overdue figures."""
        # reviews are linked by res_id: read their outcome from the database, not a stale cache
        self.invalidate_recordset(["review_ids", "validation_status", "need_validation"])
        for disposal in self:
            disposal._wisdom_check_values()
            disposal.with_context(wisdom_disposal_step=True).write(
                {"state": "done", "done_date": fields.Date.context_today(disposal)}
            )
            line = disposal.plan_line_id.sudo()
            if disposal.kind == "extension":
                line._wisdom_set_due_date(disposal.new_due_date, disposal.name)
            disposal.order_id.message_post(
                body=self.env._(
                    "Receivable disposal %(name)s (%(kind)s) done on %(line)s: %(amount)s.",
                    name=disposal.name,
                    kind=dict(self._fields["kind"]._description_selection(self.env))[disposal.kind],
                    line=line.display_name,
                    amount=disposal.amount,
                )
            )
        return True

    def action_cancel(self):
        for disposal in self:
            if disposal.state == "done":
                raise UserError(self.env._("A disposal that was carried out cannot be cancelled."))
        self.with_context(wisdom_disposal_step=True).write({"state": "cancel"})
        return True

    def action_print_dunning(self):
        self.ensure_one()
        action = self.env.ref("wisdom_fulfillment.action_report_dunning_letter").report_action(self)
        # without its empty keys (``data``: None), which XML-RPC cannot carry
        return {key: value for key, value in action.items() if value is not None}

    # BUSINESS METHODS

    def _wisdom_check_values(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Only a draft disposal can be carried out."))
        if self.kind == "extension" and not self.new_due_date:
            raise UserError(self.env._("An extension needs the new due date."))
        if self.kind in ("offset", "write_off", "legal"):
            if self.amount <= 0:
                raise UserError(self.env._("Enter the amount of this disposal."))
            if self.currency_id.compare_amounts(self.amount, self.plan_line_id.residual) > 0:
                raise UserError(self.env._("The disposal amount exceeds what is outstanding on the instalment."))
