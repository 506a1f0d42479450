from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import instalments as instalment_tools
from ..tools import review as review_tools
from .wisdom_review_mixin import OUTCOME_RANK

# Fields of the contract whose change re-runs the review of a submitted contract.
REVIEWED_ORDER_FIELDS = {
    "partner_id",
    "order_line",
    "contract_type",
    "credit_days",
    "delivery_days",
    "warranty_months",
    "retention_percent",
    "payment_term_line_ids",
    "pricelist_id",
    "technical_agreement",
}


class SaleOrder(models.Model):
    """The contract's policy review: findings from the rules, approvals by the tiers they need."""

    _name = "sale.order"
    _inherit = ["sale.order", "wisdom.review.mixin"]
    _wisdom_restart_restricted = True

    review_line_ids = fields.One2many("wisdom.review.line", "order_id", string="Review Findings", readonly=True)
    review_preview_html = fields.Html(string="Live Review", compute="_compute_review_preview_html", sanitize=False)

    # COMPUTE METHODS

    @api.depends(
        "order_line.price_unit",
        "order_line.discount",
        "order_line.product_uom_qty",
        "order_line.product_id",
        "order_line.wisdom_nonstandard",
        "partner_id",
        "contract_type",
        "credit_days",
        "delivery_days",
        "warranty_months",
        "retention_percent",
        "payment_term_line_ids.percent",
        "payment_term_line_ids.kind",
    )
    def _compute_review_preview_html(self):
        for order in self:
            if order.state not in ("draft", "sent") or not order.partner_id:
                order.review_preview_html = False
                continue
            order.review_preview_html = order._wisdom_findings_html(order._wisdom_evaluate().findings)

    # CRUD METHODS

    def write(self, vals):
        if self.env.context.get("wisdom_review_deferred"):
            return super().write(vals)
        result = super(SaleOrder, self.with_context(wisdom_review_deferred=True)).write(vals)
        if set(vals) & REVIEWED_ORDER_FIELDS:
            self._wisdom_rerun_review_if_submitted()
        return result

    # TIER VALIDATION HOOKS

    def _check_allow_write_under_validation(self, vals):
        # A submitted contract stays editable: every change re-runs the review and restarts the
        # tiers whose findings changed (see _wisdom_sync_tier_reviews).
        if self.state in ("draft", "sent"):
            return True
        return super()._check_allow_write_under_validation(vals)

    def _confirmation_error_message(self):
        message = super()._confirmation_error_message()
        if message or self.id in self.env.context.get("wisdom_review_checked_ids", ()):
            return message
        return self._wisdom_review_error_message()

    # ACTION METHODS

    def action_wisdom_submit_review(self):
        """Run the policy review, store its findings and request the approvals they need.

        Refused with the reasons when a finding blocks, or when the instalments do not total 100 %.
        """
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(self.env._("Only quotations in draft can be submitted for review (%s).", order.name))
            if not order.order_line.filtered(lambda line: not line.display_type):
                raise UserError(self.env._("Add at least one product line to %s before submitting it.", order.name))
            order._wisdom_check_instalments(required=True)
            result = order._wisdom_evaluate()
            if result.blocking:
                raise UserError(
                    self.env._(
                        "%(order)s cannot be submitted:\n%(reasons)s",
                        order=order.name,
                        reasons="\n".join(f"- {m}" for m in order._wisdom_messages(result.blocking)),
                    )
                )
            needs_approval = [f for f in result.findings if f.outcome == "approval"]
            if message := order._wisdom_uncovered_roles_message(needs_approval):
                raise UserError(message)
            order._wisdom_apply_review(result, {"review_submitted": True, **order._wisdom_contract_no_vals()})
        return True

    def action_confirm(self):
        for order in self:
            if message := order._confirmation_error_message():
                raise UserError(message)
        for order in self.filtered(lambda o: not o.review_submitted):
            # Nothing to approve (checked above): the review passes on confirmation.
            order._wisdom_store_findings(order._wisdom_evaluate(), {"review_submitted": True})
        # sale checks _confirmation_error_message again: the review of these orders just passed
        return super(SaleOrder, self.with_context(wisdom_review_checked_ids=tuple(self.ids))).action_confirm()

    def action_draft(self):
        result = super().action_draft()
        self.sudo().with_context(wisdom_review_deferred=True).write(
            {"review_submitted": False, "review_fingerprint": False}
        )
        self.review_line_ids.sudo().unlink()
        return result

    def wisdom_review_findings(self):
        """The policy review of this contract as it stands now (a draft too), as data; nothing is stored.

        ``[{"rule_id", "rule", "check_type", "result": "pass"|"approval"|"block", "approver_role":
        "director"|"product_manager"|"finance"|False, "line_id", "product", "observed", "threshold",
        "message", "message_code", "message_params"}]``, blocking findings first, then approvals, then
        passes; ``message`` in the caller's language, worded from ``message_code`` (the check type, or
        ``pass``) and ``message_params`` (product, observed, threshold) for clients in other languages.
        """
        self.ensure_one()
        self.check_access("read")
        findings = self._wisdom_evaluate().findings
        rules = self.env["wisdom.review.rule"].sudo().browse({f.rule_id for f in findings})
        names = {rule.id: rule.name for rule in rules}
        lines = {line.id: line for line in self.order_line}
        result = [
            {
                "rule_id": finding.rule_id,
                "rule": names.get(finding.rule_id, ""),
                "check_type": finding.check_type,
                "result": finding.outcome,
                "approver_role": finding.role or False,
                "line_id": finding.line_key if finding.line_key in lines else False,
                "product": lines[finding.line_key].product_id.display_name if finding.line_key in lines else False,
                "observed": finding.observed,
                "threshold": finding.threshold,
                "message": message,
                "message_code": review_tools.message_code(finding),
                "message_params": review_tools.message_params(finding),
            }
            for finding, message in zip(findings, self._wisdom_messages(findings), strict=True)
        ]
        return sorted(result, key=lambda row: OUTCOME_RANK[row["result"]])

    # BUSINESS METHODS

    def _wisdom_review_snapshot(self):
        """The contract as plain values for tools.review (company currency)."""
        self.ensure_one()
        company = self.company_id or self.env.company
        partner = self.partner_id.commercial_partner_id.sudo()
        date = self.date_order or fields.Datetime.now()

        def to_company(amount):
            return self.currency_id._convert(amount, company.currency_id, company, date) if self.currency_id else amount

        lines = []
        for line in self.order_line:
            if line.display_type or line.is_downpayment or not line.product_id:
                continue
            template = line.product_id.product_tmpl_id
            lines.append(
                review_tools.LineSnapshot(
                    key=line.id if isinstance(line.id, int) else 0,
                    product=line.product_id.display_name,
                    category_ids=frozenset(int(i) for i in (template.categ_id.parent_path or "").split("/") if i),
                    qty=line.product_uom_qty,
                    price=to_company(line.price_unit),
                    list_price=line.product_id.lst_price,
                    floor_price=template.wisdom_floor_price,
                    discount=line.discount,
                    cost=to_company(line.purchase_price),
                    nonstandard=line.wisdom_nonstandard,
                    lead_days=template.wisdom_standard_lead_days,
                    warranty_months=template.wisdom_standard_warranty_months,
                )
            )
        instalments = self._wisdom_instalment_tuples()
        return review_tools.ContractSnapshot(
            contract_type=self.contract_type or "standard",
            customer_category=partner.customer_category or "",
            customer_grade=partner.customer_grade or "",
            credit_days_allowed=partner.wisdom_credit_days_allowed,
            overdue_amount=partner._wisdom_overdue_amount(),
            credit_limit=partner._wisdom_credit_limit(company),
            credit_exposure=partner._wisdom_credit_exposure(exclude_orders=self, company=company),
            credit_days=self.credit_days,
            delivery_days=self.delivery_days,
            warranty_months=self.warranty_months,
            prepayment_percent=instalment_tools.percent_of(instalments, "prepayment") if instalments else 100.0,
            retention_percent=self.retention_percent,
            amount=to_company(self.amount_total),
            lines=tuple(lines),
        )

    def _prepare_review_line_vals(self, finding):
        self.ensure_one()
        line_ids = set(self.order_line.ids)
        return {"order_id": self.id, "sale_line_id": finding.line_key if finding.line_key in line_ids else False}

    def _wisdom_rerun_review_if_submitted(self):
        """Re-run the review of submitted quotations after a change (what changed restarts its tiers)."""
        for order in self.filtered(lambda o: o.review_submitted and o.state in ("draft", "sent")):
            order._wisdom_apply_review(order._wisdom_evaluate())

    def _wisdom_review_error_message(self):
        """Why the contract cannot be confirmed yet because of its review, or False."""
        self.ensure_one()
        if message := self._wisdom_instalment_error():
            return message
        result = self._wisdom_evaluate()
        if result.blocking:
            return self.env._(
                "%(order)s cannot be confirmed, the review blocks it:\n%(reasons)s",
                order=self.name,
                reasons="\n".join(f"- {m}" for m in self._wisdom_messages(result.blocking)),
            )
        needs_approval = [f for f in result.findings if f.outcome == "approval"]
        if message := self._wisdom_uncovered_roles_message(needs_approval):
            return message
        if not self.review_submitted:
            if needs_approval:
                return self.env._(
                    "%s needs approval before it can be confirmed: submit it for review first.", self.name
                )
            return False
        if self.review_fingerprint != self._wisdom_result_fingerprint(result):
            return self.env._(
                "The review findings of %s changed since it was submitted: submit it for review again.", self.name
            )
        if self.validation_status == "rejected":
            return self.env._("The approval of %s was rejected: change the contract and submit it again.", self.name)
        pending = self.review_ids.filtered(lambda r: r.status in ("waiting", "pending"))
        if pending:
            return self.env._(
                "%(order)s cannot be confirmed before it is approved. Waiting for: %(tiers)s",
                order=self.name,
                tiers=", ".join(pending.mapped("name")),
            )
        return False
