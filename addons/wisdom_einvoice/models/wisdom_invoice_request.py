from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from odoo.addons.wisdom_crm_base.models.res_users import GROUP_FINANCE

from ..tools import validation

STATE_KEY = "wisdom_invoice_step"  # the status changes through the action methods only
STATES = [
    ("draft", "Draft"),
    ("approval", "Pre-invoice Approval"),
    ("to_issue", "To Issue"),
    ("issuing", "Issuing"),
    ("issued", "Issued"),
    ("failed", "Failed"),
    ("cancel", "Cancelled"),
]
OPEN_STATES = ("draft", "approval", "to_issue", "issuing", "failed")
# what is sent to the provider: frozen once the request is submitted
LOCKED_FIELDS = {
    "order_id",
    "invoice_kind",
    "buyer_name",
    "buyer_tax_id",
    "seller_name",
    "seller_tax_id",
    "clerk",
    "remark",
    "line_ids",
    "pre_invoice",
    "pre_invoice_reason",
}
INVOICE_KINDS = [("special", "Special VAT e-invoice"), ("normal", "Ordinary e-invoice")]


class WisdomInvoiceRequest(models.Model):
    """开票申请: what to invoice of a contract, checked, approved when it is a 预开票, then issued
    as a 数电发票 through the provider (``wisdom_invoice_request_issue.py``)."""

    _name = "wisdom.invoice.request"
    _description = "Invoice Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "tier.validation"]
    _order = "id desc"
    _state_from = ["draft", "approval"]
    _state_to = ["to_issue"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False
    _wisdom_restart_restricted = True

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    order_id = fields.Many2one(
        "sale.order",
        string="Contract",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("state", "=", "sale")],
        tracking=True,
    )
    contract_no = fields.Char(related="order_id.contract_no")
    partner_id = fields.Many2one(related="order_id.partner_id", store=True, string="Customer", index=True)
    user_id = fields.Many2one(related="order_id.user_id", store=True, string="Sales Rep", index=True)
    team_id = fields.Many2one(related="order_id.team_id", store=True, string="Sales Team")
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    currency_id = fields.Many2one(related="order_id.currency_id", store=True)
    state = fields.Selection(
        STATES, default="draft", required=True, readonly=True, tracking=True, index=True, copy=False
    )
    invoice_kind = fields.Selection(
        INVOICE_KINDS, string="Invoice Type", required=True, default="special", tracking=True
    )
    buyer_name = fields.Char(compute="_compute_buyer", store=True, readonly=False, precompute=True)
    buyer_tax_id = fields.Char(
        string="Buyer Taxpayer ID",
        compute="_compute_buyer",
        store=True,
        readonly=False,
        precompute=True,
        help="The customer's unified social credit code.",
    )
    seller_name = fields.Char(compute="_compute_seller", store=True, readonly=False, precompute=True)
    seller_tax_id = fields.Char(
        string="Seller Taxpayer ID", compute="_compute_seller", store=True, readonly=False, precompute=True
    )
    clerk = fields.Char(string="Issuer", default=lambda self: self.env.user.name, help="开票人")
    remark = fields.Char(compute="_compute_remark", store=True, readonly=False, precompute=True)
    line_ids = fields.One2many("wisdom.invoice.request.line", "request_id", string="Lines", copy=True)
    pre_invoice = fields.Boolean(
        string="Pre-invoice", tracking=True, help="预开票: invoice more than was shipped, with a reason and approval."
    )
    exceeds_shipped = fields.Boolean(
        string="More Than Shipped", compute="_compute_exceeds_shipped", store=True, index=True
    )
    pre_invoice_reason = fields.Text(string="Pre-invoice Reason", tracking=True)
    amount_untaxed = fields.Monetary(string="Amount Excl. Tax", compute="_compute_amounts", store=True)
    amount_tax = fields.Monetary(string="Tax", compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(string="Total", compute="_compute_amounts", store=True)
    submitted_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)

    _name_unique = models.UniqueIndex(
        "(company_id, name) WHERE name != '/'", "An invoice request with this reference already exists."
    )

    # COMPUTE METHODS

    @api.depends("order_id.partner_id")
    def _compute_buyer(self):
        for request in self:
            buyer = request.order_id.partner_invoice_id.commercial_partner_id or request.partner_id
            request.buyer_name = buyer.name
            request.buyer_tax_id = buyer.credit_code or buyer.vat or False

    @api.depends("order_id.company_id")
    def _compute_seller(self):
        for request in self:
            company = request.order_id.company_id
            request.seller_name = company.name
            request.seller_tax_id = company.vat or company.partner_id.credit_code or False

    @api.depends("order_id.contract_no", "order_id.name")
    def _compute_remark(self):
        for request in self:
            number = request.order_id.contract_no or request.order_id.name
            request.remark = self.env._("Contract No. %s", number) if number else False

    @api.depends("line_ids.quantity", "line_ids.invoiceable_qty")
    def _compute_exceeds_shipped(self):
        for request in self:
            request.exceeds_shipped = validation.is_pre_invoice(request.line_ids._wisdom_line_data())

    @api.depends("line_ids.amount_excl", "line_ids.amount_tax", "line_ids.amount_incl")
    def _compute_amounts(self):
        for request in self:
            request.amount_untaxed = sum(request.line_ids.mapped("amount_excl"))
            request.amount_tax = sum(request.line_ids.mapped("amount_tax"))
            request.amount_total = sum(request.line_ids.mapped("amount_incl"))

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("wisdom.invoice.request") or "/"
            if vals.get("order_id") and "line_ids" not in vals:
                vals["line_ids"] = self._wisdom_default_lines(self.env["sale.order"].browse(vals["order_id"]))
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals and not self.env.context.get(STATE_KEY):
            raise UserError(self.env._("Use the buttons of the invoice request to change its status."))
        if set(vals) & LOCKED_FIELDS:
            self._wisdom_check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(request.state not in ("draft", "cancel") for request in self):
            raise UserError(self.env._("Only draft or cancelled invoice requests can be deleted."))

    # ACTION METHODS

    def action_load_shipped(self):
        """Replace the lines by everything shipped and not yet invoiced (the default)."""
        for request in self:
            request._wisdom_check_state("draft")
            request.line_ids = [Command.clear()] + request._wisdom_default_lines(request.order_id, exclude=request)
        return True

    def action_submit(self):
        """Rep or finance: check everything; a 预开票 goes to approval, the rest waits for finance."""
        for request in self:
            request._wisdom_check_state("draft")
            request._wisdom_raise_problems()
            step = request.with_context(**{STATE_KEY: True})
            step.submitted_date = fields.Datetime.now()
            if request.pre_invoice and request.exceeds_shipped:
                step.state = "approval"
                request.request_validation()
                request.invalidate_recordset(["review_ids", "validation_status"])
                if not request.review_ids:
                    raise UserError(
                        self.env._(
                            "No approval tier applies to this pre-invoice: ask the "
                            "administrator to configure the pre-invoice approvals."
                        )
                    )
            else:
                step.state = "to_issue"
        return True

    def action_cancel(self):
        for request in self:
            if request.state in ("issuing", "issued"):
                raise UserError(
                    self.env._(
                        "Invoice request %s was sent to the tax platform: it cannot be "
                        "cancelled (issue a red invoice instead).",
                        request.name,
                    )
                )
        self.with_context(**{STATE_KEY: True}).write({"state": "cancel"})
        return True

    def action_draft(self):
        for request in self:
            request._wisdom_check_state("cancel", "failed", "approval", "to_issue")
            if request.state == "failed":
                # a new order number for the new attempt: the provider keeps the failed one
                request.with_context(**{STATE_KEY: True}).provider_order_no = False
        self.filtered("review_ids").restart_validation()
        self.with_context(**{STATE_KEY: True}).write({"state": "draft"})
        return True

    # BUSINESS METHODS

    def _wisdom_check_state(self, *states):
        self.ensure_one()
        if self.state not in states:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Invoice request %(name)s is %(state)s: this step is not possible.",
                    name=self.name,
                    state=labels[self.state],
                )
            )

    def _wisdom_check_editable(self):
        """What goes to the provider is frozen once the request is submitted."""
        if self.env.context.get(STATE_KEY):
            return
        locked = self.filtered(lambda r: r.state not in ("draft", "approval"))
        if locked:
            raise UserError(
                self.env._("Invoice request %s was submitted: it cannot be changed any more.", locked[0].name)
            )

    def _wisdom_may_restart_review(self):
        """Finance, who approves and issues invoice requests, may also take one back to draft."""
        return self.env.user.has_group(GROUP_FINANCE) or super()._wisdom_may_restart_review()

    def _wisdom_check_finance(self):
        if not (self.env.su or self.env.user.has_group(GROUP_FINANCE)):
            raise UserError(self.env._("Only finance issues invoices."))

    def _wisdom_request_data(self):
        self.ensure_one()
        return validation.RequestData(
            buyer_name=self.buyer_name or "",
            buyer_tax_id=self.buyer_tax_id or "",
            seller_tax_id=self.seller_tax_id or "",
            invoice_kind=self.invoice_kind,
            lines=tuple(self.line_ids._wisdom_line_data()),
            pre_invoice=self.pre_invoice,
            pre_invoice_reason=self.pre_invoice_reason or "",
        )

    def _wisdom_problems(self):
        """Every problem of this request, one translated sentence each."""
        self.ensure_one()
        return [
            self._wisdom_problem_text(problem) for problem in validation.validate_request(self._wisdom_request_data())
        ]

    def _wisdom_raise_problems(self):
        problems = self._wisdom_problems()
        if problems:
            raise UserError(
                self.env._(
                    "Invoice request %(name)s cannot be submitted:\n%(problems)s",
                    name=self.name,
                    problems="\n".join(f"• {p}" for p in problems),
                )
            )

    def _wisdom_problem_text(self, problem):
        values, line = problem.values, problem.line
        env = self.env
        texts = {
            "buyer_name_missing": lambda: env._("The buyer's name is missing."),
            "buyer_tax_id_missing": lambda: env._(
                "The buyer's taxpayer ID (unified social credit code) is missing: enter it on the customer."
            ),
            "buyer_tax_id_invalid": lambda: env._(
                "The buyer's taxpayer ID %s is not 15 to 20 letters and digits.", values.get("value")
            ),
            "seller_tax_id_missing": lambda: env._("The company's taxpayer ID is missing."),
            "invoice_kind_invalid": lambda: env._("Choose the invoice type."),
            "no_lines": lambda: env._("There is nothing to invoice."),
            "too_many_lines": lambda: env._("%(count)s lines: an e-invoice takes at most %(max)s.", **values),
            "pre_invoice_reason_missing": lambda: env._("This is a pre-invoice (more than shipped): give the reason."),
            "zero_total": lambda: env._("The total is zero."),
            "goods_code_missing": lambda: env._(
                "Line %(line)s (%(product)s): the tax classification code is missing.", line=line, **values
            ),
            "goods_code_too_long": lambda: env._(
                "Line %(line)s (%(product)s): the tax classification code %(code)s is longer than 19 digits.",
                line=line,
                **values,
            ),
            "goods_code_not_digits": lambda: env._(
                "Line %(line)s (%(product)s): the tax classification code %(code)s must be digits only.",
                line=line,
                **values,
            ),
            "zero_amount": lambda: env._(
                "Line %(line)s (%(product)s): quantity and unit price must be above zero.", line=line, **values
            ),
            "tax_rate_invalid": lambda: env._(
                "Line %(line)s (%(product)s): the tax rate %(rate)s is not a rate of 数电发票.", line=line, **values
            ),
            "more_than_shipped": lambda: env._(
                "Line %(line)s (%(product)s): %(qty)s is more than the %(open)s shipped and not yet invoiced: tick "
                "Pre-invoice and give the reason to ask for approval.",
                line=line,
                **values,
            ),
            "more_than_ordered": lambda: env._(
                "Line %(line)s (%(product)s): %(qty)s is more than the %(open)s ordered and not yet invoiced.",
                line=line,
                **values,
            ),
        }
        return texts[problem.code]()

    @api.model
    def _wisdom_default_lines(self, order, exclude=None):
        """Everything shipped and not yet invoiced nor requested, at the contract's prices."""
        lines = []
        for sale_line in order.order_line.filtered(lambda line: not line.display_type and not line.is_downpayment):
            quantity = sale_line._wisdom_invoiceable_qty(exclude=exclude)
            if quantity > 0:
                lines.append(Command.create({"sale_line_id": sale_line.id, "quantity": quantity}))
        return lines
