import base64

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import format_amount, format_date
from odoo.tools.pdf import merge_pdf

from ..tools import annex_pdf, template_body
from ..tools import instalments as instalment_tools
from ..tools import review as review_tools

CONTRACT_TYPES = [
    ("standard", "Standard"),
    ("framework", "Framework"),
    ("bid", "Bid"),
    ("nonstandard", "Non-standard"),
    ("overseas", "Overseas"),
]
REVIEW_STATES = [
    ("draft", "Not submitted"),
    ("blocked", "Blocked"),
    ("pending", "Waiting for approval"),
    ("rejected", "Rejected"),
    ("approved", "Approved"),
]
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


# Numbers of the ERP: filled by the SAP bridge, corrected by the contract admin.
ERP_NUMBER_FIELDS = {"sap_order_no", "production_order_nos"}
ERP_NUMBER_GROUPS = ("wisdom_crm_base.group_wisdom_contract_admin", "wisdom_crm_base.group_wisdom_integration_admin")
# Written by the review only (with sudo): a rep cannot mark a contract as reviewed by hand.
REVIEW_PROTECTED_FIELDS = {"review_submitted", "review_fingerprint"}


class SaleOrder(models.Model):
    _inherit = "sale.order"
    _wisdom_restart_restricted = True

    contract_no = fields.Char(
        string="Contract No.",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Numbered from the sequence of the contract type when the contract is submitted or confirmed.",
    )
    contract_type = fields.Selection(
        CONTRACT_TYPES, string="Contract Type", default="standard", required=True, tracking=True
    )
    contract_template_id = fields.Many2one("wisdom.contract.template", string="Contract Template", tracking=True)
    demand_id = fields.Many2one("wisdom.contract.demand", string="Demand", index="btree_not_null", copy=False)
    signed_date = fields.Date(
        string="Signing Date",
        copy=False,
        tracking=True,
        help="Set to the confirmation date when empty at confirmation.",
    )
    effective_date = fields.Date(string="Effective Date", copy=False)
    payment_term_line_ids = fields.One2many("wisdom.payment.term.line", "order_id", string="Instalments", copy=True)
    credit_days = fields.Integer(string="Credit Days", tracking=True)
    delivery_days = fields.Integer(string="Delivery Days", tracking=True, help="Days after signing.")
    delivery_date = fields.Date(string="Contractual Delivery Date", tracking=True)
    warranty_months = fields.Integer(string="Warranty (Months)", tracking=True)
    retention_percent = fields.Float(string="Retention %", digits=(5, 2), tracking=True)
    technical_agreement = fields.Boolean(string="Technical Agreement", tracking=True)
    archive_complete = fields.Boolean(
        string="Archive Complete",
        compute="_compute_archive_complete",
        store=True,
        help="Every document required for this contract type is in the archive.",
    )
    document_ids = fields.One2many("wisdom.contract.document", "order_id", string="Archive Documents")
    missing_document_categories = fields.Char(
        string="Missing Documents",
        compute="_compute_missing_document_categories",
        help="The required documents not in the archive yet, named in the reader's language.",
    )
    sap_order_no = fields.Char(string="SAP Order No.", copy=False, index="btree_not_null", tracking=True)
    production_order_nos = fields.Char(string="Production Order Nos.", copy=False, help="Comma separated.")
    can_edit_erp_numbers = fields.Boolean(compute="_compute_can_edit_erp_numbers")

    # Policy review
    review_submitted = fields.Boolean(string="Submitted for Review", copy=False, readonly=True, tracking=True)
    review_line_ids = fields.One2many("wisdom.review.line", "order_id", string="Review Findings", readonly=True)
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
    review_preview_html = fields.Html(string="Live Review", compute="_compute_review_preview_html", sanitize=False)
    review_findings_html = fields.Html(
        string="Review Findings (Summary)", compute="_compute_review_findings_html", sanitize=False,
        help="The stored findings, problems first and the passed checks folded; kept after confirmation.",
    )

    # COMPUTE METHODS

    @api.depends("contract_type", "technical_agreement", "document_ids.category", "order_line.wisdom_nonstandard")
    def _compute_archive_complete(self):
        missing = self._wisdom_missing_categories()
        for order in self:
            order.archive_complete = not missing[order.id]

    @api.depends_context("lang")
    @api.depends("contract_type", "technical_agreement", "document_ids.category", "order_line.wisdom_nonstandard")
    def _compute_missing_document_categories(self):
        missing = self._wisdom_missing_categories()
        labels = dict(self.env["wisdom.contract.document"]._fields["category"]._description_selection(self.env))
        for order in self:
            order.missing_document_categories = ", ".join(labels[c] for c in sorted(missing[order.id]))

    def _wisdom_missing_categories(self):
        """{order id: document categories required for it and not in its archive}."""
        requirements = self.env["wisdom.contract.document.requirement"].sudo().search([("active", "=", True)])
        return {
            order.id: {r.category for r in requirements if r._applies_to(order)}
            - set(order.document_ids.mapped("category"))
            for order in self
        }

    @api.depends_context("uid")
    def _compute_can_edit_erp_numbers(self):
        allowed = self._wisdom_user_edits_erp_numbers()
        for order in self:
            order.can_edit_erp_numbers = allowed

    @api.depends("review_line_ids.outcome", "review_line_ids.role")
    def _compute_review_needs(self):
        for order in self:
            approvals = order.review_line_ids.filtered(lambda f: f.outcome == "approval")
            roles = set(approvals.mapped("role"))
            order.review_needs_director = "director" in roles
            order.review_needs_product_manager = "product_manager" in roles
            order.review_needs_finance = "finance" in roles
            order.review_blocked = any(f.outcome == "block" for f in order.review_line_ids)

    @api.depends("review_submitted", "review_blocked", "validation_status", "state")
    def _compute_review_state(self):
        for order in self:
            if not order.review_submitted:
                order.review_state = "draft"
            elif order.review_blocked:
                order.review_state = "blocked"
            elif order.validation_status == "rejected":
                order.review_state = "rejected"
            elif order.validation_status in ("waiting", "pending"):
                order.review_state = "pending"
            else:
                order.review_state = "approved"

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

    @api.depends_context("lang")
    @api.depends("review_line_ids.outcome", "review_line_ids.message_en", "review_line_ids.message_zh")
    def _compute_review_findings_html(self):
        for order in self:
            order.review_findings_html = order._wisdom_stored_findings_html() if order.review_line_ids else False

    # ONCHANGE METHODS

    @api.onchange("contract_template_id")
    def _onchange_contract_template_id(self):
        if self.contract_template_id:
            self._wisdom_apply_template()

    # CRUD METHODS

    def write(self, vals):
        if not self.env.su and set(vals) & REVIEW_PROTECTED_FIELDS:
            raise AccessError(self.env._("The review status of a contract is set by the review, not by hand."))
        if set(vals) & ERP_NUMBER_FIELDS and not self._wisdom_user_edits_erp_numbers():
            raise AccessError(self.env._("Only the contract admin changes the SAP order and production order numbers."))
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
        if message:
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
        for order in self:
            if not order.review_submitted:
                # Nothing to approve (checked above): the review passes on confirmation.
                order._wisdom_store_findings(order._wisdom_evaluate(), {"review_submitted": True})
            vals = order._wisdom_contract_no_vals()
            if not order.signed_date:
                vals["signed_date"] = fields.Date.context_today(order)
            if vals:
                order.with_context(wisdom_review_deferred=True).write(vals)
        return super().action_confirm()

    def action_draft(self):
        result = super().action_draft()
        self.sudo().with_context(wisdom_review_deferred=True).write(
            {"review_submitted": False, "review_fingerprint": False}
        )
        self.review_line_ids.sudo().unlink()
        return result

    def action_wisdom_apply_template(self):
        """Take the template's terms and add its annex products (not yet on the contract) as lines."""
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(self.env._("The template can only be applied to a quotation (%s).", order.name))
            order._wisdom_apply_template()
        return True

    def action_wisdom_merged_annex_pdf(self):
        """Attach one PDF made of the product annex followed by the technical agreement(s)."""
        self.ensure_one()
        agreements = self._wisdom_technical_agreement_pdfs()
        if not agreements:
            raise UserError(
                self.env._("Upload the technical agreement of %s as a PDF in the archive first.", self.name)
            )
        merged = merge_pdf([self._wisdom_annex_pdf(), *agreements])
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("%s product annex and technical agreement.pdf", self.contract_no or self.name),
                "type": "binary",
                "datas": base64.b64encode(merged),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )
        self.message_post(body=self.env._("Merged annex PDF created."), attachment_ids=attachment.ids)
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    def wisdom_review_findings(self):
        """The policy review of this contract as it stands now (a draft too), as data; nothing is stored.

        ``[{"rule_id", "rule", "check_type", "result": "pass"|"approval"|"block", "approver_role":
        "director"|"product_manager"|"finance"|False, "line_id", "product", "observed", "threshold",
        "message"}]``, blocking findings first, then approvals, then passes; ``message`` in the
        caller's language.
        """
        self.ensure_one()
        self.check_access("read")
        findings = self._wisdom_evaluate().findings
        rules = self.env["wisdom.review.rule"].sudo().browse({f.rule_id for f in findings})
        names = {rule.id: rule.name for rule in rules}
        lines = {line.id: line for line in self.order_line}
        rank = {"block": 0, "approval": 1, "pass": 2}
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
            }
            for finding, message in zip(findings, self._wisdom_messages(findings), strict=True)
        ]
        return sorted(result, key=lambda row: rank[row["result"]])

    # BUSINESS METHODS

    def _wisdom_apply_template(self):
        self.ensure_one()
        template = self.contract_template_id
        if not template:
            return
        values = template._prepare_order_values()
        present = set(self.order_line.product_id.ids)
        values["order_line"] = [
            Command.create(
                {"product_id": line.product_id.id, "product_uom_qty": line.quantity, "sequence": line.sequence}
            )
            for line in template.annex_line_ids
            if line.product_id.id not in present
        ]
        if not template.instalment_ids:
            del values["payment_term_line_ids"]
        self.update(values)

    def _wisdom_body_values(self):
        """Values of the template placeholders (see wisdom.contract.template.body)."""
        self.ensure_one()
        kinds = dict(self.env["wisdom.payment.term.line"]._fields["kind"]._description_selection(self.env))
        payment_terms = "; ".join(
            f"{kinds[line.kind]} {line.percent:g}%" + (f" ({line.days})" if line.days else "")
            for line in self.payment_term_line_ids
        )
        return {
            "contract_no": self.contract_no or self.name,
            "partner_name": self.partner_id.commercial_partner_id.name,
            "company_name": self.company_id.name,
            "amount_total": format_amount(self.env, self.amount_total, self.currency_id),
            "currency": self.currency_id.name,
            "signed_date": format_date(self.env, self.signed_date) if self.signed_date else "",
            "effective_date": format_date(self.env, self.effective_date) if self.effective_date else "",
            "delivery_days": self.delivery_days,
            "delivery_date": format_date(self.env, self.delivery_date) if self.delivery_date else "",
            "warranty_months": self.warranty_months,
            "retention_percent": f"{self.retention_percent:g}",
            "credit_days": self.credit_days,
            "payment_terms": payment_terms or (self.payment_term_id.name or ""),
            "salesperson": self.user_id.name or "",
        }

    def _wisdom_contract_body(self):
        """The template body with this contract's values, for the contract PDF (trusted template HTML)."""
        self.ensure_one()
        body = self.contract_template_id.body
        if not body:
            return Markup("")
        return Markup(template_body.render(str(body), self._wisdom_body_values()))

    def _wisdom_annex_pdf(self):
        """The product annex of the contract as PDF bytes (reportlab, see tools/annex_pdf)."""
        self.ensure_one()
        lines = [
            annex_pdf.AnnexLine(
                code=line.product_id.default_code or "",
                name=line.name or line.product_id.display_name,
                quantity=line.product_uom_qty,
                uom=line.product_uom_id.name or "",
                price_unit=line.price_unit,
                subtotal=line.price_subtotal,
            )
            for line in self.order_line
            if not line.display_type
        ]
        headers = (
            self.env._("Code"),
            self.env._("Product"),
            self.env._("Quantity"),
            self.env._("Unit"),
            self.env._("Unit Price"),
            self.env._("Subtotal"),
        )
        subtitle = f"{self.contract_no or self.name} · {self.partner_id.commercial_partner_id.name}"
        return annex_pdf.render(
            self.env._("Product Annex"), subtitle, lines, self.env._("Total (untaxed)"), self.amount_untaxed, headers
        )

    def _wisdom_technical_agreement_pdfs(self):
        self.ensure_one()
        pdfs = []
        for document in self.document_ids.filtered(lambda d: d.category == "technical_agreement"):
            data = base64.b64decode(document.attachment or b"")
            if data.startswith(b"%PDF"):
                pdfs.append(data)
        return pdfs

    def _wisdom_has_technical_content(self):
        """Whether the contract carries technical items (non-standard lines) or a technical agreement."""
        self.ensure_one()
        return self.technical_agreement or any(line.wisdom_nonstandard for line in self.order_line)

    def _wisdom_instalment_tuples(self):
        self.ensure_one()
        return [(line.kind, line.percent, line.days) for line in self.payment_term_line_ids]

    def _wisdom_check_instalments(self, required=False):
        """Raise UserError when the instalments do not make a valid plan.

        Without instalments the standard payment terms (``payment_term_id``) apply, which is accepted
        unless ``required`` (submission of a contract for review).
        """
        self.ensure_one()
        message = self._wisdom_instalment_error(required=required)
        if message:
            raise UserError(message)

    def _wisdom_instalment_error(self, required=False):
        self.ensure_one()
        instalments = self._wisdom_instalment_tuples()
        if not instalments and not required:
            return False
        try:
            instalment_tools.validate(instalments)
        except instalment_tools.InstalmentError as error:
            reasons = {
                "no_instalments": self.env._("Add the payment instalments (付款条件) of %s.", self.name),
                "percent_out_of_range": self.env._(
                    "Each instalment of %s must be more than 0 %% and at most 100 %%.", self.name
                ),
                "negative_days": self.env._("Instalment days of %s cannot be negative.", self.name),
                "total_not_100": self.env._(
                    "The instalments of %(order)s total %(total)s %%; they must total 100 %%.",
                    order=self.name,
                    total=instalment_tools.total_percent(instalments),
                ),
            }
            return reasons[str(error)]
        return False

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
            credit_exposure=partner._wisdom_credit_exposure(exclude_orders=self),
            credit_days=self.credit_days,
            delivery_days=self.delivery_days,
            warranty_months=self.warranty_months,
            prepayment_percent=instalment_tools.percent_of(instalments, "prepayment") if instalments else 100.0,
            retention_percent=self.retention_percent,
            amount=to_company(self.amount_total),
            lines=tuple(lines),
        )

    def _wisdom_evaluate(self):
        self.ensure_one()
        rules = self.env["wisdom.review.rule"]._rules_for(self.company_id or self.env.company)
        return review_tools.evaluate(self._wisdom_review_snapshot(), rules._to_tool_rules())

    def _wisdom_messages(self, findings):
        chinese = (self.env.lang or "").startswith("zh")
        return [f.message_zh if chinese else f.message_en for f in findings]

    def _wisdom_findings_html(self, findings):
        badges = {"pass": "text-bg-success", "approval": "text-bg-warning", "block": "text-bg-danger"}
        outcome_labels = dict(self.env["wisdom.review.line"]._fields["outcome"]._description_selection(self.env))
        role_labels = dict(self.env["wisdom.review.rule"]._fields["role"]._description_selection(self.env))
        rules = self.env["wisdom.review.rule"].sudo().browse({f.rule_id for f in findings})
        rule_names = {rule.id: rule.name for rule in rules}
        rank = {"block": 0, "approval": 1, "pass": 2}
        issues, passed = [], []
        for finding, message in sorted(
            zip(findings, self._wisdom_messages(findings), strict=True), key=lambda fm: rank[fm[0].outcome]
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
            html += Markup('<details><summary class="text-success">{}</summary><ul class="list-unstyled mb-0">{}'
                           "</ul></details>").format(
                self.env._("%s checks passed", len(passed)), Markup("").join(passed))
        return html

    def _wisdom_stored_findings_html(self):
        """The stored findings (what was submitted and approved) rendered like the live review."""
        self.ensure_one()
        findings = [
            review_tools.Finding(line.rule_id.id, line.check_type, line.outcome, line.role or "",
                                 line.sale_line_id.id, line.observed, line.threshold, line.message_en or "",
                                 line.message_zh or "")
            for line in self.sudo().review_line_ids
        ]
        return self._wisdom_findings_html(findings)

    def _wisdom_store_findings(self, result, extra_vals=None):
        """Replace the stored findings by ``result`` (and write ``extra_vals`` in the same write)."""
        self.ensure_one()
        line_ids = set(self.order_line.ids)
        self.review_line_ids.sudo().unlink()
        self.env["wisdom.review.line"].sudo().create(
            [
                {
                    "order_id": self.id,
                    "rule_id": f.rule_id,
                    "check_type": f.check_type,
                    "outcome": f.outcome,
                    "role": f.role or False,
                    "sale_line_id": f.line_key if f.line_key in line_ids else False,
                    "observed": f.observed,
                    "threshold": f.threshold,
                    "message_en": f.message_en,
                    "message_zh": f.message_zh,
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

    def _wisdom_sync_tier_reviews(self, result):
        """Create, keep or restart the tier reviews so that they match the findings.

        The tiers that apply are the tier definitions whose domain matches the contract (their
        domains test review_needs_*). An approved review is kept while the findings of its role
        (``tier.definition.wisdom_review_role``: rule, line, observed value, threshold) are the
        same as when it was requested; any other review is replaced by a new waiting one, and the
        reviews of tiers that no longer apply are removed.
        """
        self.ensure_one()
        definitions = self.env["tier.definition"].search(
            [("model", "=", self._name), ("company_id", "in", [False, *self._get_company().ids])],
            order="sequence desc",
        )
        existing = {review.definition_id.id: review for review in self.review_ids}
        kept = self.env["tier.review"]
        obsolete = self.env["tier.review"]
        vals_list = []
        sequence = 0
        for definition in definitions.filtered(lambda d: self.evaluate_tier(d)):
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
            self.message_post(
                body=self.env._(
                    "The review findings changed: approval restarted for %s.", ", ".join(restarted.mapped("name"))
                )
            )
        obsolete.sudo().unlink()
        created = self.env["tier.review"].create(vals_list)
        (kept | created)._update_review_status()
        if created:
            self._notify_review_requested(created)
        self.invalidate_recordset(["review_ids", "validation_status"])
        return created

    def _wisdom_user_edits_erp_numbers(self):
        """The SAP bridge (integration admin or sudo) and the contract admin write the ERP numbers."""
        return self.env.su or any(self.env.user.has_group(group) for group in ERP_NUMBER_GROUPS)

    def _wisdom_uncovered_roles_message(self, findings):
        """Error when a finding needs a role's approval but no active approval tier covers that role."""
        self.ensure_one()
        definitions = self.env["tier.definition"].search(
            [("model", "=", self._name), ("company_id", "in", [False, *self._get_company().ids])]
        )
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

    def _wisdom_rerun_review_if_submitted(self):
        """Re-run the review of submitted quotations after a change (what changed restarts its tiers)."""
        for order in self.filtered(lambda o: o.review_submitted and o.state in ("draft", "sent")):
            order._wisdom_apply_review(order._wisdom_evaluate())

    def _wisdom_contract_no_vals(self):
        """``{"contract_no": next number of the contract type}`` when the contract has none yet."""
        self.ensure_one()
        if self.contract_no:
            return {}
        code = f"wisdom.contract.{self.contract_type}"
        number = self.env["ir.sequence"].with_company(self.company_id).next_by_code(code)
        if not number:
            raise UserError(self.env._("No contract number sequence is defined for code %s.", code))
        return {"contract_no": number}

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
