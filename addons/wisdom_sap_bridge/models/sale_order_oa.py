from odoo import api, fields, models

from ..tools import oa


class SaleOrder(models.Model):
    """A contract's approvals go to OA as well (one process per tier review, queued: submitting never
    waits for OA); the contract shows each review's OA process on its Review Findings page."""

    _inherit = "sale.order"
    _wisdom_oa_approvals = True

    oa_review_ids = fields.One2many(
        "tier.review", string="Approvals in OA", compute="_compute_oa_review_ids", compute_sudo=True
    )

    # COMPUTE METHODS

    @api.depends("review_ids.oa_state")
    def _compute_oa_review_ids(self):
        for order in self:
            order.oa_review_ids = order.review_ids.filtered(lambda r: r.oa_state != "not_sent")

    # BUSINESS METHODS

    def _wisdom_oa_request_values(self, review, reference):
        """The ``tools.oa.ApprovalRequest`` of one tier review of this contract, worded in the language of the
        contract's responsible user (the reviewers' team)."""
        self.ensure_one()
        order = self.with_env(self._wisdom_chatter_env()).sudo()
        review = review.with_env(order.env)
        role = review.definition_id.wisdom_review_role
        findings = order.review_line_ids.filtered(lambda f: f.outcome == "approval" and (not role or f.role == role))
        contract = order.contract_no or order.name
        return oa.ApprovalRequest(
            reference=reference,
            title=order.env._("Contract approval %(contract)s: %(tier)s", contract=contract, tier=review.name),
            contract=contract,
            customer=order.partner_id.commercial_partner_id.display_name or "",
            amount=order.amount_total,
            currency=order.currency_id.name or "",
            tier=review.name or "",
            reviewers=tuple(self._wisdom_oa_person(user) for user in review.reviewer_ids),
            requester=self._wisdom_oa_person(review.requested_by) if review.requested_by else None,
            reasons=tuple(findings.mapped("message")),
            link=f"{order.get_base_url()}/odoo/sale.order/{order.id}",
        )

    @api.model
    def _wisdom_oa_person(self, user):
        return oa.Person(login=user.login, oa_user_id=user.oa_user_id or "", name=user.name, email=user.email or "")

    def _wisdom_integration_done(self, message, response):
        """OA withdrew the process of a restarted review (or had none): noted on the contract."""
        if message.system != "oa" or message.operation != "approval_cancel":
            return super()._wisdom_integration_done(message, response)
        self.ensure_one()
        if response.get("process_id"):
            self.sudo().message_post(
                body=self._wisdom_chatter_env()._("OA process %s withdrawn.", response["process_id"])
            )
        return True
