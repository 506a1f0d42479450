from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools import allocation
from .res_partner import CUSTOMER_CATEGORIES
from .res_users import GROUP_REP


class WisdomAssignmentRule(models.Model):
    _name = "wisdom.assignment.rule"
    _inherit = ["wisdom.registry.cache.mixin"]
    _description = "Customer Assignment Rule"
    _order = "sequence, id"

    # New customers look their rules up in a cache (_wisdom_rule_ids)
    _wisdom_cache_fields = frozenset({"active", "apply_to_new", "apply_to_pool", "sequence"})

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    state_ids = fields.Many2many("res.country.state", string="Regions", help="Empty: any region.")
    categories = fields.Char(
        string="Customer Categories",
        help="Comma-separated category keys (grid, generation, industrial, distributor, overseas, other). "
        "Empty: any category.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", required=True)
    method = fields.Selection(
        [("least_loaded", "Least loaded rep"), ("round_robin", "Round robin")], required=True, default="least_loaded"
    )
    apply_to_new = fields.Boolean(string="New Customers Without Owner", default=True)
    apply_to_pool = fields.Boolean(string="Customers in Public Pools")
    last_user_id = fields.Many2one("res.users", string="Last Assigned", readonly=True)

    @api.constrains("categories")
    def _check_categories(self):
        known = {key for key, __ in CUSTOMER_CATEGORIES}
        for rule in self:
            unknown = set(rule._category_keys()) - known
            if unknown:
                raise ValidationError(
                    self.env._("Unknown customer categories: %(keys)s", keys=", ".join(sorted(unknown)))
                )

    def _category_keys(self):
        self.ensure_one()
        return [key.strip() for key in (self.categories or "").split(",") if key.strip()]

    def _as_pure(self):
        self.ensure_one()
        reps = self.team_id.member_ids.filtered(lambda u: u.has_group(GROUP_REP)).sorted("id")
        return allocation.AllocationRule(
            id=self.id,
            state_ids=frozenset(self.state_ids.ids),
            categories=frozenset(self._category_keys()),
            method=self.method,
            member_ids=tuple(reps.ids),
            last_user_id=self.last_user_id.id,
        )

    @api.model
    @tools.ormcache("scope")
    def _wisdom_rule_ids(self, scope):
        """Active rules of ``scope`` ('new' or 'pool'), cached: every new customer asks."""
        domain = [("apply_to_new", "=", True)] if scope == "new" else [("apply_to_pool", "=", True)]
        return tuple(self.sudo().search(domain).ids)

    @api.model
    def _wisdom_allocate(self, partners, scope):
        """Give each customer in ``partners`` an owner by the first matching rule of ``scope``
        ('new' or 'pool'); customers no rule matches keep no owner. Returns the customers assigned."""
        if not partners:
            return partners.browse()
        rules = self.sudo().browse(self._wisdom_rule_ids(scope))
        if not rules:
            return partners.browse()
        pure = [rule._as_pure() for rule in rules]
        by_id = {rule.id: rule for rule in rules}
        member_ids = {user_id for rule in pure for user_id in rule.member_ids}
        loads = dict(
            (user.id, count)
            for user, count in self.env["res.partner"]
            .sudo()
            ._read_group(
                [("user_id", "in", list(member_ids)), ("wisdom_customer", "=", True), ("parent_id", "=", False)],
                ["user_id"],
                ["__count"],
            )
        )
        by_target = defaultdict(list)  # (rule, user id) -> customer ids, moved in one go
        for partner in partners:
            rule = allocation.matching_rule(pure, partner.state_id.id, partner.customer_category)
            if not rule:
                continue
            user_id = allocation.pick_user(rule, loads)
            rule.last_user_id = user_id
            loads[user_id] = loads.get(user_id, 0) + 1
            by_target[rule.id, user_id].append(partner.id)
        Partner = self.env["res.partner"].sudo().with_context(wisdom_transfer_open_items=False)
        for (rule_id, user_id), partner_ids in by_target.items():
            Partner.browse(partner_ids)._wisdom_set_owner(
                self.env["res.users"].browse(user_id), action="assign", note=by_id[rule_id].name
            )
        for rule in pure:
            if rule.last_user_id != by_id[rule.id].last_user_id.id:
                by_id[rule.id].last_user_id = rule.last_user_id
        return partners.browse([pid for ids in by_target.values() for pid in ids])

    @api.model
    def _cron_allocate_pool_customers(self):
        partners = self.env["res.partner"].sudo().search([("pool_state", "=", "pool"), ("wisdom_customer", "=", True)])
        self._wisdom_allocate(partners, "pool")
