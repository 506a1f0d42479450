from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError

from ..tools import credit_code as credit_code_tools
from .res_users import GROUP_FINANCE, GROUP_REP

CUSTOMER_CODE_SEQUENCE = "wisdom.customer.code"
CREDIT_TERM_FIELDS = {"wisdom_credit_days_allowed", "credit_limit", "use_partner_credit_limit"}

CUSTOMER_CATEGORIES = [
    ("grid", "Grid utility"),
    ("generation", "Power generation"),
    ("industrial", "Industrial & commercial"),
    ("distributor", "Distributor"),
    ("overseas", "Overseas"),
    ("other", "Other"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    wisdom_customer = fields.Boolean(
        string="CRM Customer",
        index=True,
        tracking=True,
        help="A company we sell to, kept in the Wisdom CRM customer library. Its owner and sales "
        "team decide who sees it and its contacts.",
    )
    credit_code = fields.Char(
        string="Unified Social Credit Code",
        size=18,
        index="btree_not_null",
        tracking=True,
        copy=False,
        help="18-character registration id (GB 32100-2015), checked with its check character.",
    )
    customer_category = fields.Selection(
        CUSTOMER_CATEGORIES,
        string="Customer Category",
        index=True,
        tracking=True,
    )
    customer_source_id = fields.Many2one(
        "utm.source",
        string="Customer Source",
        tracking=True,
        help="How the customer came to us (bid, referral, exhibition…).",
    )
    customer_code = fields.Char(
        string="Customer Code",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Assigned from the sequence when the company becomes a CRM customer.",
    )
    wisdom_credit_days_allowed = fields.Integer(
        string="Credit Days Allowed",
        tracking=True,
        help="Longest credit period finance grants this customer; longer contract terms need finance's approval.",
    )
    wisdom_can_edit_credit = fields.Boolean(
        string="May Edit Credit Terms",
        compute="_compute_wisdom_can_edit_credit",
        help="Finance sets the customer's credit days and credit limit; the others read them.",
    )

    _credit_code_unique = models.UniqueIndex(
        "(credit_code) WHERE active AND parent_id IS NULL AND credit_code IS NOT NULL",
        "Another active company already has this unified social credit code.",
    )

    # COMPUTE METHODS

    @api.depends_context("uid")
    def _compute_wisdom_can_edit_credit(self):
        self.wisdom_can_edit_credit = self._wisdom_may_edit_credit()

    @api.model
    def _wisdom_may_edit_credit(self):
        user = self.env.user
        return self.env.su or user.has_group(GROUP_FINANCE) or user.has_group("account.group_account_manager")

    # CONSTRAINT METHODS

    @api.constrains("credit_code")
    def _check_credit_code(self):
        for partner in self.filtered("credit_code"):
            try:
                credit_code_tools.validate(partner.credit_code)
            except credit_code_tools.CreditCodeError as error:
                raise ValidationError(
                    self.env._(
                        "The unified social credit code %(code)s of %(name)s is invalid: %(reason)s",
                        code=partner.credit_code,
                        name=partner.display_name,
                        reason=error,
                    )
                ) from error

    # CRUD METHODS

    @api.model_create_multi
    def create(self, vals_list):
        companies = []
        Rule = self.env["wisdom.assignment.rule"]
        for vals in vals_list:
            self._wisdom_prepare_customer_vals(vals)
            is_customer = vals.get("wisdom_customer", self.env.context.get("default_wisdom_customer"))
            if not vals.get("parent_id") and vals.get("active", True) and (is_customer or vals.get("credit_code")):
                companies.append(dict(vals, wisdom_customer=is_customer))
            if is_customer and not vals.get("parent_id"):
                # in the INSERT rather than an UPDATE after it (one more operation-log entry each)
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.context.get("default_company_id")
                )
                if not vals.get("customer_code"):
                    vals["customer_code"] = self._wisdom_next_customer_code(company)
                owner_id = vals.get("user_id")
                # a customer without owner gets one from the assignment rules, if any, first (below)
                if not vals.get("pool_id") and (owner_id or not Rule._wisdom_rule_ids("new")):
                    vals["pool_id"] = self._wisdom_pool_for_owner(owner_id, company)
        # Checked before the INSERT, in one query for the batch, so that the unique index never
        # aborts the transaction; the constraint then has nothing left to check.
        self._wisdom_raise_if_exact_duplicates(companies)
        partners = super(ResPartner, self.with_context(wisdom_dedup_checked=True)).create(vals_list)
        partners = partners.with_env(self.env)
        partners._wisdom_assign_customer_code()
        ownerless = partners.filtered(
            lambda p: p.wisdom_customer and not p.parent_id and not p.user_id and p.pool_state != "pool"
        )
        if ownerless:
            self.env["wisdom.assignment.rule"]._wisdom_allocate(ownerless, "new")
        partners._wisdom_ensure_pool()
        return partners

    def write(self, vals):
        if CREDIT_TERM_FIELDS & vals.keys() and self.filtered("wisdom_customer") and not self.env.su:
            if not self._wisdom_may_edit_credit():
                raise AccessError(self.env._("Only finance may change a customer's credit days and credit limit."))
            if vals.keys() <= CREDIT_TERM_FIELDS:
                # finance sets credit terms on customers it may read, without general write access
                self.check_access("read")
                return super(ResPartner, self.sudo()).write(vals)
        if vals.get("credit_code"):
            vals = dict(vals, credit_code=credit_code_tools.normalize(vals["credit_code"]))
        if vals.get("credit_code") or vals.get("active") or ("parent_id" in vals and not vals["parent_id"]):
            # Before the UPDATE, so that the unique index never aborts the transaction.
            self._wisdom_raise_if_exact_duplicates(
                [
                    {**partner._wisdom_dedup_vals(), "wisdom_customer": partner.wisdom_customer, **vals}
                    for partner in self
                    if not vals.get("parent_id", partner.parent_id) and vals.get("active", partner.active)
                ]
            )
        res = super().write(vals)
        if vals.get("wisdom_customer"):
            self._wisdom_assign_customer_code()
        if vals.get("wisdom_customer") or ("pool_id" in vals and not vals["pool_id"]) or "parent_id" in vals:
            self._wisdom_ensure_pool()
        return res

    @api.model
    def _wisdom_pool_for_owner(self, user_id, company):
        """Id of the pool a new customer of ``user_id`` joins (see ``_wisdom_ensure_pool``)."""
        Pool = self.env["wisdom.customer.pool"].sudo()
        return Pool._wisdom_pool_for(self.env["res.users"].sudo().browse(user_id), company or self.env.company).id

    def _wisdom_assign_customer_code(self):
        for partner in self.filtered(lambda p: p.wisdom_customer and not p.parent_id and not p.customer_code):
            partner.sudo().customer_code = self._wisdom_next_customer_code(partner.company_id)

    @api.model
    def _wisdom_next_customer_code(self, company):
        sequence_id = self._wisdom_customer_sequence_id((company or self.env.company).id)
        return self.env["ir.sequence"].sudo().browse(sequence_id)._next() if sequence_id else False

    @api.model
    @tools.ormcache("company_id")
    def _wisdom_customer_sequence_id(self, company_id):
        """The customer-code sequence of the company, else the shared one (cached: every new customer
        asks; ir.sequence changes of that code clear the cache)."""
        return (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [("code", "=", CUSTOMER_CODE_SEQUENCE), ("company_id", "in", [company_id, False])],
                order="company_id",
                limit=1,
            )
            .id
        )

    @api.model
    def _wisdom_prepare_customer_vals(self, vals):
        """Normalise the credit code; a customer created by a sales user belongs to that user."""
        if vals.get("credit_code"):
            vals["credit_code"] = credit_code_tools.normalize(vals["credit_code"])
        is_customer = vals.get("wisdom_customer", self.env.context.get("default_wisdom_customer"))
        if (
            is_customer
            and not vals.get("user_id")  # the form sends user_id=False explicitly
            and not self.env.context.get("default_user_id")
            and not vals.get("parent_id")
            and self.env.user.has_group(GROUP_REP)
        ):
            vals["user_id"] = self.env.uid

    # INTEGRATION

    def _wisdom_integration_done(self, message, response):
        """An external system answered a message about this customer (see ``wisdom.integration.message``).
        Each bridge handles its own system's answers and hands the others on with ``super()``."""
        return False
