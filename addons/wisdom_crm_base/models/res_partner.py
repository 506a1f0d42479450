from markupsafe import Markup, escape

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import credit_code as credit_code_tools
from ..tools import dedup
from .res_users import GROUP_REP

DEFAULT_DEDUP_THRESHOLD = 0.6

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
    wisdom_name_key = fields.Char(
        string="Normalised Name",
        compute="_compute_wisdom_name_key",
        store=True,
        index="trigram",
        help="Name folded for duplicate checks: width, case, brackets, punctuation and company form ignored.",
    )
    wisdom_phone_key = fields.Char(
        string="Phone Digits",
        compute="_compute_wisdom_phone_key",
        store=True,
        index="btree_not_null",
    )
    wisdom_duplicate_warning = fields.Html(
        string="Possible Duplicates",
        compute="_compute_wisdom_duplicate_warning",
        sanitize=False,
    )

    _credit_code_unique = models.UniqueIndex(
        "(credit_code) WHERE active AND wisdom_customer AND credit_code IS NOT NULL",
        "Another active customer already has this unified social credit code.",
    )

    # COMPUTE METHODS

    @api.depends("name")
    def _compute_wisdom_name_key(self):
        for partner in self:
            partner.wisdom_name_key = dedup.normalize_name(partner.name) or False

    @api.depends("phone")
    def _compute_wisdom_phone_key(self):
        for partner in self:
            partner.wisdom_phone_key = dedup.normalize_phone(partner.phone) or False

    @api.depends("name", "credit_code", "phone", "email", "wisdom_customer", "parent_id")
    def _compute_wisdom_duplicate_warning(self):
        for partner in self:
            partner.wisdom_duplicate_warning = False
            if partner.wisdom_customer and not partner.parent_id and partner.name:
                matches = self.wisdom_check_duplicates(partner._wisdom_dedup_vals())
                partner.wisdom_duplicate_warning = self._wisdom_duplicate_html(matches)

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

    @api.constrains("name", "credit_code", "wisdom_customer", "active", "parent_id")
    def _check_wisdom_exact_duplicates(self):
        """Exact duplicates are refused whatever the entry point: form, import or RPC."""
        for partner in self.filtered(lambda p: p.wisdom_customer and p.active and not p.parent_id):
            self._wisdom_raise_if_exact_duplicate(partner._wisdom_dedup_vals())

    @api.model
    def _wisdom_raise_if_exact_duplicate(self, vals):
        blocking = [match for match in self.wisdom_check_duplicates(vals) if match["blocking"]]
        if blocking:
            first = blocking[0]
            raise ValidationError(
                self.env._(
                    "Customer %(name)s already exists as %(existing)s (owner: %(owner)s): %(reasons)s. "
                    "Open the existing customer instead of creating it again.",
                    name=vals.get("name") or vals.get("credit_code"),
                    existing=first["name"],
                    owner=first["owner"] or self.env._("public pool"),
                    reasons=", ".join(first["reason_labels"]),
                )
            )

    # CRUD METHODS

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._wisdom_prepare_customer_vals(vals)
            is_customer = vals.get("wisdom_customer", self.env.context.get("default_wisdom_customer"))
            if is_customer and not vals.get("parent_id"):
                # Checked before the INSERT so that the unique index never aborts the transaction.
                self._wisdom_raise_if_exact_duplicate(vals)
        partners = super().create(vals_list)
        partners._wisdom_assign_customer_code()
        ownerless = partners.filtered(
            lambda p: p.wisdom_customer and not p.parent_id and not p.user_id and p.pool_state != "pool"
        )
        if ownerless:
            self.env["wisdom.assignment.rule"]._wisdom_allocate(ownerless, "new")
        return partners

    def write(self, vals):
        if vals.get("credit_code"):
            vals = dict(vals, credit_code=credit_code_tools.normalize(vals["credit_code"]))
            for partner in self.filtered(lambda p: p.wisdom_customer and not p.parent_id):
                self._wisdom_raise_if_exact_duplicate(dict(partner._wisdom_dedup_vals(), **vals))
        res = super().write(vals)
        if vals.get("wisdom_customer"):
            self._wisdom_assign_customer_code()
        return res

    def _wisdom_assign_customer_code(self):
        for partner in self.filtered(lambda p: p.wisdom_customer and not p.parent_id and not p.customer_code):
            partner.sudo().customer_code = self.env["ir.sequence"].sudo().next_by_code("wisdom.customer.code")

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

    # DUPLICATE CHECK (客户查重)

    def _wisdom_dedup_vals(self):
        self.ensure_one()
        return {
            "id": self._origin.id or 0,
            "name": self.name,
            "credit_code": self.credit_code,
            "phone": self.phone,
            "email": self.email,
        }

    @api.model
    def wisdom_check_duplicates(self, vals):
        """Customers that may be the company described by ``vals`` (name, credit_code, phone, email,
        optionally id of the record itself), best first.

        :return: list of ``{"id", "name", "score", "reasons", "blocking", "owner", "reason_labels"}``;
            ``blocking`` is true for an exact credit code or normalised name, which cannot be saved.
            Every customer is considered, also those the caller may not read; for those only the
            name and the owner's name are returned.
        """
        new = dedup.Candidate(
            name=vals.get("name") or "",
            credit_code=credit_code_tools.normalize(vals.get("credit_code") or ""),
            phone=vals.get("phone") or "",
            email=vals.get("email") or "",
        )
        exclude_ids = [vals.get("id") or 0]
        if self.env.su:  # customers being merged into one another (see base_partner_merge)
            exclude_ids += self.env.context.get("wisdom_dedup_exclude_ids", [])
        candidates = self._wisdom_dedup_candidates(new, exclude_ids=exclude_ids)
        threshold = float(
            self.env["ir.config_parameter"].sudo().get_param("wisdom_crm_base.dedup_threshold", DEFAULT_DEDUP_THRESHOLD)
        )
        matches = dedup.rank(new, [self._wisdom_as_candidate(p) for p in candidates], threshold)
        partners = candidates.browse([m.id for m in matches])
        labels = self._wisdom_dedup_reason_labels()
        return [
            {
                "id": match.id,
                "name": partner.name,
                "score": match.score,
                "reasons": match.reasons,
                "reason_labels": [labels[reason] for reason in match.reasons],
                "blocking": match.blocking,
                "owner": partner.user_id.name or "",
            }
            for match, partner in zip(matches, partners, strict=True)
        ]

    @api.model
    def _wisdom_dedup_reason_labels(self):
        return {
            "credit_code": self.env._("same unified social credit code"),
            "name_exact": self.env._("same name once width, brackets, punctuation and company form are ignored"),
            "name_similar": self.env._("similar name"),
            "phone": self.env._("same phone number"),
            "email": self.env._("same e-mail address"),
        }

    @api.model
    def _wisdom_as_candidate(self, partner):
        return dedup.Candidate(
            id=partner.id,
            name=partner.name or "",
            credit_code=partner.credit_code or "",
            phone=partner.phone or "",
            email=partner.email or "",
            name_key=partner.wisdom_name_key or "",
        )

    @api.model
    def _wisdom_dedup_candidates(self, new, exclude_ids=(0,), limit=50):
        """Active customers sharing credit code, phone or e-mail, or with a similar name key.

        Uses the trigram index where PostgreSQL scores Chinese (UTF-8 ctype); otherwise takes the
        customers whose key starts like the new one and lets the Python scorer decide.
        """
        key = dedup.normalize_name(new.name)
        conditions = []
        if new.credit_code:
            conditions.append(SQL("credit_code = %s", new.credit_code))
        if key:
            conditions.append(SQL("wisdom_name_key = %s", key))
            if self._wisdom_trigram_scores_cjk():
                conditions.append(SQL("wisdom_name_key %% %s", key))
            else:
                conditions.append(SQL("wisdom_name_key LIKE %s", key[:2] + "%"))
        if phone := dedup.normalize_phone(new.phone):
            conditions.append(SQL("wisdom_phone_key = %s", phone))
        if email := dedup.normalize_email(new.email):
            conditions.append(SQL("lower(email) = %s", email))
        if not conditions:
            return self.browse()
        self.env["res.partner"].flush_model(["wisdom_name_key", "wisdom_phone_key", "credit_code", "email"])
        order = SQL("similarity(wisdom_name_key, %s) DESC", key) if key else SQL("id")
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM res_partner
                    WHERE active AND wisdom_customer AND parent_id IS NULL AND id NOT IN %s AND (%s)
                 ORDER BY %s LIMIT %s""",
                tuple(exclude_ids),
                SQL(" OR ").join(conditions),
                order,
                limit,
            )
        )
        return self.sudo().browse([row[0] for row in rows])

    @api.model
    @tools.ormcache()
    def _wisdom_trigram_scores_cjk(self):
        """Whether pg_trgm builds trigrams from Chinese characters (not under a plain C ctype)."""
        [(value,)] = self.env.execute_query(SQL("SELECT similarity(%s, %s)", "国网电力", "国网电力"))
        return value > 0.99

    @api.model
    def _wisdom_duplicate_html(self, matches):
        """Warning listing similar customers: a link where the user may open the customer, otherwise
        only its name and owner (whom to ask)."""
        if not matches:
            return False
        readable = set(self.browse([m["id"] for m in matches])._filtered_access("read").ids)
        rows = Markup("").join(
            Markup("<li>%s — %s %s, %s %s%%: %s</li>")
            % (
                Markup('<a href="/odoo/res.partner/%s" target="_blank"><b>%s</b></a>') % (match["id"], match["name"])
                if match["id"] in readable
                else Markup("<b>%s</b>") % match["name"],
                self.env._("owner"),
                match["owner"] or self.env._("public pool"),
                self.env._("score"),
                round(match["score"] * 100),
                ", ".join(match["reason_labels"]),
            )
            for match in matches
        )
        return Markup("<div><p>%s</p><ul>%s</ul></div>") % (
            escape(self.env._("This customer may already exist:")),
            rows,
        )
