from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools import review as review_tools

REVIEW_STATES = [
    ("draft", "Not submitted"),
    ("blocked", "Blocked"),
    ("pending", "Waiting for approval"),
    ("rejected", "Rejected"),
    ("approved", "Approved"),
]
# Written by the review only (with sudo): a user cannot mark a record as reviewed by hand.
REVIEW_PROTECTED_FIELDS = {"review_submitted", "review_fingerprint"}
OUTCOME_RANK = {"block": 0, "approval": 1, "pass": 2}


class WisdomReviewMixin(models.AbstractModel):
    """Policy review (rules in ``wisdom.review.rule``, evaluated by ``tools/review.py``) whose findings
    drive the approvals of OCA ``tier.validation``.

    A consumer inherits ``tier.validation`` and this mixin (``sale.order`` does, see
    ``sale_order_review.py``) and provides:

    - ``review_line_ids``: one2many of ``wisdom.review.line`` (the stored findings);
    - ``_wisdom_review_snapshot()``: the record as a ``tools.review.ContractSnapshot``;
    - ``_prepare_review_line_vals(finding)``: the values linking a stored finding to the record.

    Its tier definitions test ``review_needs_*`` in their domains and name the role they cover in
    ``tier.definition.wisdom_review_role``.
    """

    _name = "wisdom.review.mixin"
    _description = "Policy Review with Approvals"

    review_submitted = fields.Boolean(string="Submitted for Review", copy=False, readonly=True, tracking=True)
    review_fingerprint = fields.Char(copy=False, readonly=True)
    review_needs_director = fields.Boolean(
        string="Needs Sales Director", compute="_compute_review_needs", store=True, index=True
    )
    review_needs_product_manager = fields.Boolean(
        string="Needs Product Manager", compute="_compute_review_needs", store=True, index=True
    )
    review_needs_finance = fields.Boolean(
        string="Needs Finance", compute="_compute_review_needs", store=True, index=True
    )
    review_blocked = fields.Boolean(string="Blocked by Review", compute="_compute_review_needs", store=True, index=True)
    review_state = fields.Selection(
        REVIEW_STATES, string="Review Status", compute="_compute_review_state", store=True, index=True
    )
    review_findings_html = fields.Html(
        string="Review Findings (Summary)",
        compute="_compute_review_findings_html",
        sanitize=False,
        help="The stored findings, problems first and the passed checks folded; kept after confirmation.",
    )

    # COMPUTE METHODS

    @api.depends("review_line_ids.outcome", "review_line_ids.role")
    def _compute_review_needs(self):
        for record in self:
            approvals = record.review_line_ids.filtered(lambda f: f.outcome == "approval")
            roles = set(approvals.mapped("role"))
            record.review_needs_director = "director" in roles
            record.review_needs_product_manager = "product_manager" in roles
            record.review_needs_finance = "finance" in roles
            record.review_blocked = any(f.outcome == "block" for f in record.review_line_ids)

    @api.depends(lambda self: ("review_submitted", "review_blocked", "validation_status", self._wisdom_state_field()))
    def _compute_review_state(self):
        for record in self:
            if not record.review_submitted:
                record.review_state = "draft"
            elif record.review_blocked:
                record.review_state = "blocked"
            elif record.validation_status == "rejected":
                record.review_state = "rejected"
            elif record.validation_status in ("waiting", "pending"):
                record.review_state = "pending"
            else:
                record.review_state = "approved"

    @api.depends_context("lang")
    @api.depends("review_line_ids.outcome", "review_line_ids.message_code", "review_line_ids.message_params")
    def _compute_review_findings_html(self):
        for record in self:
            record.review_findings_html = record._wisdom_stored_findings_html() if record.review_line_ids else False

    # CRUD METHODS

    def write(self, vals):
        if not self.env.su and set(vals) & REVIEW_PROTECTED_FIELDS:
            raise AccessError(self.env._("The review status of a contract is set by the review, not by hand."))
        return super().write(vals)

    # HOOKS FOR CONSUMERS

    @api.model
    def _wisdom_state_field(self):
        # tier.validation's state field on a consumer; the mixin alone has none
        return getattr(self, "_state_field", "review_submitted")

    def _wisdom_review_snapshot(self):
        """The record as plain values for ``tools.review.evaluate`` (a ``ContractSnapshot``)."""
        raise NotImplementedError

    def _prepare_review_line_vals(self, finding):
        """Values that link the stored ``finding`` (``wisdom.review.line``) to this record."""
        raise NotImplementedError

    # BUSINESS METHODS

    def _wisdom_evaluate(self):
        self.ensure_one()
        rules = self.env["wisdom.review.rule"]._rules_for(self.company_id or self.env.company)
        return review_tools.evaluate(self._wisdom_review_snapshot(), rules._to_tool_rules())

    def _wisdom_messages(self, findings):
        """The messages of ``findings`` in the reader's language (rendered from their codes)."""
        return self.env["wisdom.review.line"]._wisdom_finding_messages(findings)

    def _wisdom_findings_html(self, findings):
        badges = {"pass": "text-bg-success", "approval": "text-bg-warning", "block": "text-bg-danger"}
        outcome_labels = dict(self.env["wisdom.review.line"]._fields["outcome"]._description_selection(self.env))
        role_labels = dict(self.env["wisdom.review.rule"]._fields["role"]._description_selection(self.env))
        rules = self.env["wisdom.review.rule"].sudo().browse({f.rule_id for f in findings})
        rule_names = {rule.id: rule.name for rule in rules}
        issues, passed = [], []
        for finding, message in sorted(
            zip(findings, self._wisdom_messages(findings), strict=True), key=lambda fm: OUTCOME_RANK[fm[0].outcome]
        ):
            label = outcome_labels[finding.outcome]
            if finding.role:
                label = f"{label}: {role_labels[finding.role]}"
            (passed if finding.outcome == "pass" else issues).append(
                Markup('<li class="mb-1"><span class="badge {}">{}</span> <b>{}</b> {}</li>').format(
                    badges[finding.outcome], label, rule_names.get(finding.rule_id, ""), message
                )
            )
        if not issues and not passed:
            return Markup("<p class='text-muted'>{}</p>").format(escape(self.env._("No review rule applies.")))
        html = Markup('<ul class="list-unstyled mb-1">{}</ul>').format(Markup("").join(issues)) if issues else Markup()
        if passed:
            # what passed is folded, so that the customer and the lines stay in sight
            html += Markup(
                '<details><summary class="text-success">{}</summary><ul class="list-unstyled mb-0">{}</ul></details>'
            ).format(self.env._("%s checks passed", len(passed)), Markup("").join(passed))
        return html

    def _wisdom_stored_findings_html(self):
        """The stored findings (what was submitted and approved) rendered like the live review."""
        self.ensure_one()
        findings = [
            review_tools.Finding(
                line.rule_id.id,
                line.check_type,
                line.outcome,
                line.role or "",
                line.sale_line_id.id,
                line.observed,
                line.threshold,
                (line.message_params or {}).get("product") or "",
            )
            for line in self.sudo().review_line_ids
        ]
        return self._wisdom_findings_html(findings)

    def _wisdom_store_findings(self, result, extra_vals=None):
        """Replace the stored findings by ``result`` (and write ``extra_vals`` in the same write)."""
        self.ensure_one()
        self.review_line_ids.sudo().unlink()
        self.env["wisdom.review.line"].sudo().create(
            [
                {
                    **self._prepare_review_line_vals(f),
                    "rule_id": f.rule_id,
                    "check_type": f.check_type,
                    "outcome": f.outcome,
                    "role": f.role or False,
                    "observed": f.observed,
                    "threshold": f.threshold,
                    "message_code": review_tools.message_code(f),
                    "message_params": review_tools.message_params(f),
                }
                for f in result.findings
            ]
        )
        self.sudo().with_context(wisdom_review_deferred=True).write(
            {"review_fingerprint": self._wisdom_result_fingerprint(result), **(extra_vals or {})}
        )

    @staticmethod
    def _wisdom_result_fingerprint(result):
        return result.role_fingerprint() + ":" + str(len(result.blocking))

    def _wisdom_apply_review(self, result, extra_vals=None):
        """Store the findings and bring the approval tiers in line with them."""
        self.ensure_one()
        self._wisdom_store_findings(result, extra_vals)
        self._wisdom_sync_tier_reviews(result)

    def _wisdom_tier_definitions(self, order=None):
        return self.env["tier.definition"].search(
            [("model", "=", self._name), ("company_id", "in", [False, *self._get_company().ids])], order=order
        )

    def _wisdom_sync_tier_reviews(self, result):
        """Create, keep or restart the tier reviews so that they match the findings.

        The tiers that apply are the tier definitions whose domain matches the record (their
        domains test review_needs_*). An approved review is kept while the findings of its role
        (``tier.definition.wisdom_review_role``: rule, line, observed value, threshold) are the
        same as when it was requested; any other review is replaced by a new waiting one, and the
        reviews of tiers that no longer apply are removed.
        """
        self.ensure_one()
        existing = {review.definition_id.id: review for review in self.review_ids}
        kept = self.env["tier.review"]
        obsolete = self.env["tier.review"]
        vals_list = []
        sequence = 0
        for definition in self._wisdom_tier_definitions(order="sequence desc").filtered(self.evaluate_tier):
            sequence += 1
            key = result.role_fingerprint(definition.wisdom_review_role or None)
            review = existing.pop(definition.id, None)
            if review and review.status == "approved" and review.wisdom_findings_key == key:
                review.sequence = sequence
                kept |= review
                continue
            obsolete |= review or self.env["tier.review"]
            vals_list.append({**self._prepare_tier_review_vals(definition, sequence), "wisdom_findings_key": key})
        for review in existing.values():
            obsolete |= review
        restarted = obsolete.filtered(lambda r: r.status in ("approved", "rejected"))
        if restarted:
            env = self._wisdom_chatter_env()
            self.message_post(
                body=env._(
                    "The review findings changed: approval restarted for %s.",
                    ", ".join(restarted.with_env(env).mapped("name")),
                )
            )
        obsolete.sudo().unlink()
        created = self.env["tier.review"].create(vals_list)
        (kept | created)._update_review_status()
        if created:
            self._notify_review_requested(created)
        self.invalidate_recordset(["review_ids", "validation_status"])
        return created

    def _wisdom_uncovered_roles_message(self, findings):
        """Error when a finding needs a role's approval but no active approval tier covers that role."""
        self.ensure_one()
        definitions = self._wisdom_tier_definitions()
        if definitions.filtered(lambda d: not d.wisdom_review_role):
            return False
        missing = {f.role for f in findings} - set(definitions.mapped("wisdom_review_role"))
        if not missing:
            return False
        labels = dict(self.env["wisdom.review.rule"]._fields["role"]._description_selection(self.env))
        return self.env._(
            "No approval tier is configured for: %s. Ask the contract admin to set one up.",
            ", ".join(labels[role] for role in sorted(missing)),
        )
