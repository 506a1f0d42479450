from odoo import api, fields, models, tools

from .res_users import GROUP_REP

CUSTOMER_GRADES = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]


class WisdomCustomerPool(models.Model):
    _name = "wisdom.customer.pool"
    _description = "Public Pool"
    _inherit = ["mail.thread", "wisdom.registry.cache.mixin"]
    _order = "sequence, id"

    # Pool membership is part of the customers' record rule (cached per user by ir.rule)
    _wisdom_cache_fields = frozenset({"member_user_ids", "member_team_ids", "admin_ids", "active", "open_to_all_reps"})

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    member_user_ids = fields.Many2many(
        "res.users",
        "wisdom_customer_pool_member_rel",
        "pool_id",
        "user_id",
        string="Member Users",
        domain=[("share", "=", False)],
        help="Sales users who see and may claim this pool's customers.",
    )
    member_team_ids = fields.Many2many(
        "crm.team",
        string="Member Teams",
        help="Every member of these sales teams sees and may claim this pool's customers.",
    )
    admin_ids = fields.Many2many(
        "res.users",
        "wisdom_customer_pool_admin_rel",
        "pool_id",
        "user_id",
        string="Pool Admins",
        domain=[("share", "=", False)],
        help="They assign this pool's customers and receive reclaim summaries.",
    )
    open_to_all_reps = fields.Boolean(
        string="Open to Every Sales User",
        help="Every sales user sees and may claim this pool's customers, whatever their team "
        "(the company's default pool).",
    )
    daily_claim_limit = fields.Integer(
        string="Daily Claims per Rep", default=10, tracking=True, help="0 means no limit."
    )
    max_private_customers = fields.Integer(
        string="Max Customers per Rep",
        default=200,
        tracking=True,
        help="A rep holding this many private customers of the pool cannot claim more. 0 means no limit.",
    )
    count_dealt_customers = fields.Boolean(
        string="Count Customers with Deals",
        default=False,
        help="When off, customers with a won deal do not count against the holding limit.",
    )
    cooling_days = fields.Integer(
        string="Previous Owner Cooling Days",
        default=30,
        tracking=True,
        help="A rep who released or lost a customer may claim it again only after this many days.",
    )
    rule_ids = fields.One2many("wisdom.customer.pool.rule", "pool_id", string="Reclaim Rules", copy=True)
    customer_count = fields.Integer(compute="_compute_customer_count", string="Customers in Pool")

    _daily_claim_limit_positive = models.Constraint(
        "CHECK (daily_claim_limit >= 0 AND max_private_customers >= 0 AND cooling_days >= 0)",
        "Limits and cooling days cannot be negative.",
    )

    def _compute_customer_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("pool_id", "in", self.ids), ("pool_state", "=", "pool")], ["pool_id"], ["__count"]
            )
        )
        for pool in self:
            pool.customer_count = counts.get(pool, 0)

    def _wisdom_member_users(self):
        self.ensure_one()
        users = self.member_user_ids | self.member_team_ids.member_ids | self.member_team_ids.user_id | self.admin_ids
        if self.open_to_all_reps:
            users |= self.env.ref(GROUP_REP).sudo().all_user_ids
        return users

    @api.model
    @tools.ormcache("user_id")
    def _wisdom_team_pool_id(self, user_id):
        """The first pool of a sales team the user belongs to or leads, or False. Cached: pool and
        team changes clear the registry cache."""
        teams = self.env["crm.team"].sudo().search(["|", ("member_ids", "in", [user_id]), ("user_id", "=", user_id)])
        if not teams:
            return False
        return self.sudo().search([("member_team_ids", "in", teams.ids)], limit=1).id or False

    @api.model
    def _wisdom_pool_for(self, user, company):
        """Where a customer of ``user`` in ``company`` belongs: the owner's team's pool, else the
        company's default pool."""
        pool_id = user and self._wisdom_team_pool_id(user.id)
        return self.browse(pool_id) if pool_id else company._wisdom_default_pool()

    def _rule_for_grade(self, grade):
        self.ensure_one()
        rules = self.rule_ids
        return rules.filtered(lambda r: r.grade == grade)[:1] or rules.filtered(lambda r: not r.grade)[:1]

    def action_view_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("wisdom_crm_base.action_wisdom_pool_customers")
        action["domain"] = [("pool_id", "=", self.id), ("pool_state", "=", "pool")]
        return action


class WisdomCustomerPoolRule(models.Model):
    _name = "wisdom.customer.pool.rule"
    _description = "Public Pool Reclaim Rule"
    _order = "pool_id, grade"

    pool_id = fields.Many2one("wisdom.customer.pool", required=True, ondelete="cascade", index=True)
    grade = fields.Selection(
        CUSTOMER_GRADES, string="Customer Grade", help="Empty: applies to grades without a rule of their own."
    )
    no_followup_days = fields.Integer(
        string="Reclaim after Days without Follow-up",
        default=30,
        help="A follow-up is a completed activity, a note or message by the owner, or an update of one of "
        "the customer's opportunities or quotations. 0 switches this condition off.",
    )
    no_deal_days = fields.Integer(
        string="Reclaim after Days without Deal",
        default=180,
        help="Days since the owner got the customer or since its last won deal. 0 switches this condition off.",
    )
    warning_days = fields.Integer(string="Warn Days Before", default=7)
    exempt = fields.Boolean(string="Never Reclaim", help="Customers of this grade stay with their owner.")

    _grade_unique = models.UniqueIndex("(pool_id, COALESCE(grade, ''))", "A pool has one rule per grade.")
    _days_positive = models.Constraint(
        "CHECK (no_followup_days >= 0 AND no_deal_days >= 0 AND warning_days >= 0)",
        "Days cannot be negative.",
    )


class WisdomPoolReleaseReason(models.Model):
    _name = "wisdom.pool.release.reason"
    _description = "Pool Release Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
