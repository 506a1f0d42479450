from markupsafe import Markup, escape

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.sql import make_index_name

from ..tools import credit_code as credit_code_tools
from ..tools import dedup

DEFAULT_DEDUP_THRESHOLD = 0.6
# pg_trgm similarity a name must reach to be scored at all (pg_trgm's own default is 0.3). At a
# million customers 0.3 lets the index return ~13,000 names that share a city and a trade with the
# new one, each rechecked (p95 120 ms per check); 0.36 returns a few hundred (p95 31 ms) and still
# finds the edited customer in 293 of 300 random edits (0.3: 296; the misses: three characters
# changed). See docs/perf/customer_master_explain.md.
DEFAULT_NAME_PREFILTER = 0.36


class ResPartner(models.Model):
    _inherit = "res.partner"

    wisdom_name_key = fields.Char(
        string="Normalised Name",
        compute="_compute_wisdom_name_key",
        store=True,
        precompute=True,
        index="trigram",
        help="Name folded for duplicate checks: width, case, brackets, punctuation and company form ignored.",
    )
    wisdom_phone_key = fields.Char(
        string="Phone Digits",
        compute="_compute_wisdom_phone_key",
        store=True,
        precompute=True,
        index="btree_not_null",
    )
    wisdom_duplicate_warning = fields.Html(
        string="Possible Duplicates",
        compute="_compute_wisdom_duplicate_warning",
        sanitize=False,
    )

    # The duplicate check looks names up by equality and e-mail addresses by lower(email): the
    # trigram index answers equality slowly (40 ms at a million customers) and without an index
    # on lower(email) the whole check became a sequential scan (7 s).
    _wisdom_name_key_eq = models.Index("(wisdom_name_key) WHERE wisdom_name_key IS NOT NULL")
    _wisdom_email_lower = models.Index("(lower(email)) WHERE email IS NOT NULL")

    def init(self):
        """The trigram index of the names takes new entries at once. With GIN's fast update they wait
        in a pending list that every search reads through until autovacuum merges it: while 4,500
        customers were created in one transaction (a migration, an import) the duplicate check grew
        from 0.9 to 16 ms a customer; written into the index at once it stayed at about 1.2 ms."""
        result = super().init()
        index = make_index_name(self._table, "wisdom_name_key")
        self.env.cr.execute(SQL("ALTER INDEX IF EXISTS %s SET (fastupdate = off)", SQL.identifier(index)))
        return result

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
        """The warning while a customer is typed in or edited (a form's record in memory); opening a
        saved customer does not search the whole customer base again."""
        for partner in self:
            partner.wisdom_duplicate_warning = False
            if isinstance(partner.id, int):
                continue
            if partner.wisdom_customer and not partner.parent_id and partner.name:
                matches = self.wisdom_check_duplicates(partner._wisdom_dedup_vals())
                partner.wisdom_duplicate_warning = self._wisdom_duplicate_html(matches)

    # CONSTRAINT METHODS

    @api.constrains("name", "credit_code", "wisdom_customer", "active", "parent_id")
    def _check_wisdom_exact_duplicates(self):
        """Exact duplicates are refused whatever the entry point: form, import or RPC. A credit code
        names one company (customer or not); a normalised name, one customer."""
        if self.env.context.get("wisdom_dedup_checked"):
            return  # create() checked the whole batch before inserting it
        companies = self.filtered(lambda p: p.active and not p.parent_id and (p.wisdom_customer or p.credit_code))
        self._wisdom_raise_if_exact_duplicates(
            [dict(partner._wisdom_dedup_vals(), wisdom_customer=partner.wisdom_customer) for partner in companies]
        )

    @api.model
    def _wisdom_raise_if_exact_duplicates(self, vals_list):
        """Refuse companies (dicts of name, credit_code, wisdom_customer, optionally id) that exactly
        duplicate an active company or one another, in one query whatever their number."""
        news = [
            dedup.Candidate(
                id=vals.get("id") or 0,
                name=(vals.get("name") or "") if vals.get("wisdom_customer") else "",
                credit_code=credit_code_tools.normalize(vals.get("credit_code") or ""),
            )
            for vals in vals_list
        ]
        codes = [new.credit_code for new in news if new.credit_code]
        keys = [new.key() for new in news if new.key()]
        if not codes and not keys:
            return
        exclude_ids = [new.id for new in news if new.id] or [0]
        if self.env.su:  # customers being merged into one another (see base_partner_merge)
            exclude_ids += self.env.context.get("wisdom_dedup_exclude_ids", [])
        self.env["res.partner"].flush_model(
            ["wisdom_name_key", "credit_code", "wisdom_customer", "active", "parent_id"]
        )
        rows = self.env.execute_query(
            SQL(
                """SELECT id, credit_code, CASE WHEN wisdom_customer THEN wisdom_name_key END
                 FROM res_partner
                WHERE active AND parent_id IS NULL AND id != ALL(%s)
                  AND (credit_code = ANY(%s) OR (wisdom_customer AND wisdom_name_key = ANY(%s)))
                ORDER BY id""",
                exclude_ids,
                codes,
                keys,
            )
        )
        existing = [dedup.Candidate(id=id_, credit_code=code or "", name_key=key or "") for id_, code, key in rows]
        batch = {id(new): vals for new, vals in zip(news, vals_list, strict=True)}
        for vals, found in zip(vals_list, dedup.exact_duplicates(news, existing), strict=True):
            if found:
                candidate, reasons = found
                self._wisdom_raise_duplicate(vals, candidate, reasons, other_vals=batch.get(id(candidate)))

    @api.model
    def _wisdom_raise_if_exact_duplicate(self, vals):
        """One customer's values (see ``_wisdom_raise_if_exact_duplicates``)."""
        self._wisdom_raise_if_exact_duplicates([dict(vals, wisdom_customer=vals.get("wisdom_customer", True))])

    @api.model
    def _wisdom_raise_duplicate(self, vals, candidate, reasons, other_vals=None):
        """``other_vals``: the values of the duplicate when it is saved in the same batch."""
        if other_vals is not None:
            existing_name = other_vals.get("name") or other_vals.get("credit_code")
            owner = self.env["res.users"].sudo().browse(other_vals.get("user_id") or []).name
        else:
            existing = self.sudo().browse(candidate.id)
            existing_name, owner = existing.name, existing.user_id.name
        labels = self._wisdom_dedup_reason_labels()
        raise ValidationError(
            self.env._(
                "Customer %(name)s already exists as %(existing)s (owner: %(owner)s): %(reasons)s. "
                "Open the existing customer instead of creating it again.",
                name=vals.get("name") or vals.get("credit_code"),
                existing=existing_name,
                owner=owner or self.env._("public pool"),
                reasons=", ".join(labels[reason] for reason in reasons),
            )
        )

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
        # A credit code names one company, customer or not; the other keys compare customers.
        code_condition = SQL("credit_code = %s", new.credit_code) if new.credit_code else SQL("FALSE")
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
        if not conditions and not new.credit_code:
            return self.browse()
        self.env["res.partner"].flush_model(["wisdom_name_key", "wisdom_phone_key", "credit_code", "email"])
        order = SQL("similarity(wisdom_name_key, %s) DESC", key) if key else SQL("id")
        previous = self._wisdom_set_trigram_threshold(
            self.env["ir.config_parameter"].sudo().get_param("wisdom_crm_base.dedup_name_prefilter")
            or DEFAULT_NAME_PREFILTER
        )
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM res_partner
                    WHERE active AND parent_id IS NULL AND id NOT IN %s AND (%s OR (wisdom_customer AND (%s)))
                 ORDER BY %s LIMIT %s""",
                tuple(exclude_ids),
                code_condition,
                SQL(" OR ").join(conditions) if conditions else SQL("FALSE"),
                order,
                limit,
            )
        )
        self._wisdom_set_trigram_threshold(previous)
        return self.sudo().browse([row[0] for row in rows])

    @api.model
    def _wisdom_set_trigram_threshold(self, value):
        """Set pg_trgm's threshold for the ``%`` operator in this transaction; return the one before."""
        [(previous, __)] = self.env.execute_query(
            SQL(
                "SELECT current_setting('pg_trgm.similarity_threshold', true),"
                " set_config('pg_trgm.similarity_threshold', %s, true)",
                str(float(value)),
            )
        )
        return previous or "0.3"

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
