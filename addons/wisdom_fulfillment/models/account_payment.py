from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command, Domain
from odoo.tools import SQL

from ..tools import allocation as pure_allocation
from ..tools import money, money_sql


class AccountPayment(models.Model):
    _inherit = "account.payment"

    wisdom_allocation_ids = fields.One2many("wisdom.collection.allocation", "payment_id", string="Allocations")
    wisdom_allocated_amount = fields.Monetary(
        string="Allocated", compute="_compute_wisdom_allocation", store=True, currency_field="currency_id"
    )
    wisdom_unallocated_amount = fields.Monetary(
        string="Not Allocated", compute="_compute_wisdom_allocation", store=True, currency_field="currency_id"
    )
    wisdom_unallocated_amount_company = fields.Monetary(
        string="Not Allocated (Company Currency)",
        compute="_compute_wisdom_unallocated_amount_company",
        store=True,
        currency_field="company_currency_id",
        help="What is not allocated yet, in the company currency at the company rate of the payment date "
        "(the rate of the payment's own company-currency amount).",
    )
    wisdom_collection_state = fields.Selection(
        [
            ("none", "Not a Collection"),
            ("to_confirm", "To Confirm"),
            ("partial", "Partially Allocated"),
            ("done", "Allocated"),
        ],
        string="Collection Status",
        compute="_compute_wisdom_allocation",
        store=True,
        index=True,
    )

    # COMPUTE METHODS

    @api.depends(
        "amount", "payment_type", "partner_type", "wisdom_allocation_ids.amount", "wisdom_allocation_ids.state"
    )
    def _compute_wisdom_allocation(self):
        for payment in self:
            posted = sum(payment.wisdom_allocation_ids.filtered(lambda a: a.state == "posted").mapped("amount"))
            payment.wisdom_allocated_amount = posted
            payment.wisdom_unallocated_amount = payment.amount - posted
            if payment.payment_type != "inbound" or payment.partner_type != "customer":
                payment.wisdom_collection_state = "none"
            elif payment.currency_id.is_zero(posted):
                payment.wisdom_collection_state = "to_confirm"
            elif payment.currency_id.compare_amounts(posted, payment.amount) < 0:
                payment.wisdom_collection_state = "partial"
            else:
                payment.wisdom_collection_state = "done"

    @api.depends("wisdom_unallocated_amount", "currency_id", "company_id", "date")
    def _compute_wisdom_unallocated_amount_company(self):
        for payment in self:
            company = payment.company_id or self.env.company
            payment.wisdom_unallocated_amount_company = company._wisdom_company_total(
                [(payment.currency_id, payment.wisdom_unallocated_amount)], payment.date
            )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        payments = super().create(vals_list)
        payments._wisdom_ask_confirmation()
        return payments

    # ACTION METHODS

    def action_post(self):
        """Odoo's returns nothing, which XML-RPC cannot marshal although the payment was posted."""
        result = super().action_post()
        return True if result is None else result

    def action_wisdom_suggest_allocation(self):
        """Replace the draft allocations by a FIFO suggestion (oldest due instalment first)."""
        for payment in self:
            payment._wisdom_check_can_allocate()
            payment.sudo().wisdom_allocation_ids.filtered(lambda a: a.state == "draft").unlink()
            lines = payment._wisdom_open_plan_lines()
            left = payment.amount - payment.wisdom_allocated_amount
            suggestion = pure_allocation.suggest(
                left,
                [
                    pure_allocation.OpenLine(
                        line.id, line.due_date, pure_allocation.to_decimal(line.residual), line.sequence
                    )
                    for line in lines
                ],
                payment.currency_id.decimal_places,
                first=payment._wisdom_allocation_first_lines(lines).ids,
            )
            payment.sudo().write(
                {
                    "wisdom_allocation_ids": [
                        Command.create({"plan_line_id": line_id, "amount": float(amount)})
                        for line_id, amount in suggestion
                    ]
                }
            )
        return True

    def action_wisdom_confirm_allocation(self):
        """Post the draft allocations (回款确认): rows locked, never over the payment or a line's residual."""
        for payment in self:
            payment._wisdom_check_can_allocate()
            payment._wisdom_post_allocations(payment.wisdom_allocation_ids.filtered(lambda a: a.state == "draft"))
            payment.activity_feedback(["wisdom_fulfillment.mail_activity_collection_confirm"])
        return True

    # BUSINESS METHODS

    def _wisdom_check_can_allocate(self):
        self.ensure_one()
        if self.payment_type != "inbound" or self.partner_type != "customer":
            raise UserError(self.env._("Only customer payments can be allocated to collection plans."))
        if self.state in ("draft", "canceled", "rejected"):
            raise UserError(self.env._("Confirm the payment before allocating it."))
        if not (
            self.env.user.has_group("wisdom_crm_base.group_wisdom_finance")
            or self.env.user.has_group("wisdom_crm_base.group_wisdom_rep")
            or self.env.is_superuser()
        ):
            raise UserError(self.env._("Only finance or the customer's sales rep can allocate collections."))

    def _wisdom_allocation_first_lines(self, lines):
        """The open ``lines`` the suggestion pays before the others (none here: plain FIFO). A bridge
        whose payments name a contract (SAP receipts) returns that contract's instalments."""
        self.ensure_one()
        return lines.browse()

    def _wisdom_open_plan_lines(self):
        """Open plan lines of the payment's customer that the current user may see."""
        self.ensure_one()
        return self.env["wisdom.collection.plan.line"].search(
            Domain(
                [
                    ("partner_id", "=", self.partner_id.commercial_partner_id.id),
                    ("order_id.state", "=", "sale"),
                ]
            )
            & Domain(money.outstanding_domain())
        )

    def _wisdom_post_allocations(self, allocations):
        """Lock the payment and the plan lines, re-read what is open from the database, check, post."""
        self.ensure_one()
        if not allocations:
            raise UserError(self.env._("There is nothing to confirm: add the instalments this payment pays."))
        lines = allocations.plan_line_id
        # the user must be allowed to see each instalment they book the money to
        lines.check_access("read")
        self.env.flush_all()
        # a concurrent confirmation that committed first makes these locks fail with a serialization
        # error: Odoo's RPC layer retries the whole call, which then reads what that one left open
        self.env.execute_query(SQL("SELECT id FROM account_payment WHERE id = %s FOR UPDATE", self.id))
        self.env.execute_query(
            SQL("SELECT id FROM wisdom_collection_plan_line WHERE id IN %s ORDER BY id FOR UPDATE", tuple(lines.ids))
        )
        # the rows are locked: their stored outstanding is what the committed collections left open
        residuals = dict(
            self.env.execute_query(
                SQL(
                    "SELECT line.id, %s FROM wisdom_collection_plan_line line WHERE line.id IN %s",
                    money_sql.outstanding(),
                    tuple(lines.ids),
                )
            )
        )
        already = self.env.execute_query(
            SQL(
                "SELECT COALESCE(SUM(amount), 0) FROM wisdom_collection_allocation WHERE payment_id = %s"
                " AND state = 'posted'",
                self.id,
            )
        )[0][0]
        try:
            pure_allocation.check(
                self.amount,
                already,
                [(a.plan_line_id.id, a.amount) for a in allocations],
                residuals,
                self.currency_id.decimal_places,
            )
        except pure_allocation.AllocationError as error:
            raise UserError(
                self.env._(
                    "This allocation is more than the payment or more than an instalment still has open "
                    "(someone may have just confirmed another collection). Refresh, check the amounts and try again."
                )
            ) from error
        allocations.sudo().with_context(wisdom_post_allocation=True).write(
            {"state": "posted", "confirmed_by_id": self.env.uid}
        )
        for order in lines.order_id:
            order.message_post(
                body=self.env._(
                    "Collection %(payment)s confirmed: %(amount)s.",
                    payment=self.name,
                    amount=sum(allocations.filtered(lambda a, o=order: a.order_id == o).mapped("amount")),
                )
            )

    def _wisdom_ask_confirmation(self):
        """A customer payment for a customer with open instalments: the responsible rep confirms it."""
        payments = self.filtered(
            lambda p: p.payment_type == "inbound" and p.partner_type == "customer" and p.partner_id
        )
        if not payments:
            return
        activity_type = self.env.ref("wisdom_fulfillment.mail_activity_collection_confirm", raise_if_not_found=False)
        if not activity_type:
            return
        for payment in payments:
            lines = (
                self.env["wisdom.collection.plan.line"]
                .sudo()
                .search(
                    [
                        ("partner_id", "=", payment.partner_id.commercial_partner_id.id),
                        ("order_id.state", "=", "sale"),
                        *money.outstanding_domain(),
                    ],
                    limit=50,
                )
            )
            for user in (lines.user_id or lines.order_id.user_id)[:3]:
                # the rep's e-mail goes through the mail queue: the cashier does not wait for the mail server
                activity = payment.sudo()._wisdom_activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    summary=self.env._("Confirm which contract and instalment this collection pays"),
                )
                # written now, from the environment that holds its values: the operation log reads the
                # new payment's activities right after create in another context
                activity.flush_recordset()
