from odoo import models
from odoo.fields import Domain

# Group XML IDs of the roles; they are part of the public API (README, "Roles").
GROUP_REP = "wisdom_crm_base.group_wisdom_rep"
GROUP_MANAGER = "wisdom_crm_base.group_wisdom_manager"
GROUP_DIRECTOR = "wisdom_crm_base.group_wisdom_director"
GROUP_PRODUCT_MANAGER = "wisdom_crm_base.group_wisdom_product_manager"
GROUP_FINANCE = "wisdom_crm_base.group_wisdom_finance"
GROUP_CONTRACT_ADMIN = "wisdom_crm_base.group_wisdom_contract_admin"
GROUP_INTEGRATION_ADMIN = "wisdom_crm_base.group_wisdom_integration_admin"

# Roles whose holders see every customer and contract, whatever sales role they also hold.
ALL_SEEING_GROUPS = (GROUP_DIRECTOR, GROUP_FINANCE, GROUP_CONTRACT_ADMIN)

# Model -> (owner field path, sales team field path or None) used by the role record rules.
RECORD_SCOPE_FIELDS = {
    "res.partner": ("wisdom_scope_user_id", None),
    "crm.lead": ("user_id", "team_id"),
    "crm.activity.report": ("user_id", "team_id"),
    "sale.order": ("user_id", "team_id"),
    "sale.order.line": ("order_id.user_id", "order_id.team_id"),
    "sale.report": ("user_id", "team_id"),
    "wisdom.pool.log": ("user_id", None),
    "wisdom.sales.target": ("user_id", "team_id"),
}


class ResUsers(models.Model):
    _inherit = "res.users"

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self.filtered("active")._wisdom_dispose_customers()
        return super().write(vals)

    def action_archive(self):
        # Before mail deletes the leaving user's activities: those on the customers stay with them.
        self.filtered("active")._wisdom_dispose_customers()
        return super().action_archive()

    def _wisdom_dispose_customers(self):
        """A rep who leaves (archived user) gives their private customers back to their pools, the
        same way a release does."""
        Partner = self.env["res.partner"].sudo()
        for user in self:
            customers = Partner.search(
                [
                    ("user_id", "=", user.id),
                    ("wisdom_customer", "=", True),
                    ("parent_id", "=", False),
                    ("pool_state", "=", "private"),
                ]
            )
            if customers:
                customers._wisdom_lock_rows()._wisdom_return_to_pool(
                    "dispose", note=self.env._("%s left: customers returned to the public pool.", user.name)
                )

    # BUSINESS METHODS

    def _wisdom_data_scope(self):
        """How far this user sees sales records: 'all', 'team' or 'own'."""
        self.ensure_one()
        if not self.has_group(GROUP_REP) or any(self.has_group(g) for g in ALL_SEEING_GROUPS):
            return "all"
        return "team" if self.has_group(GROUP_MANAGER) else "own"

    def _wisdom_led_teams(self):
        self.ensure_one()
        return self.env["crm.team"].sudo().search([("user_id", "=", self.id)])

    def _wisdom_scope_user_ids(self):
        """Users whose records this user sees as owner scope: self, plus led teams' members."""
        self.ensure_one()
        if self._wisdom_data_scope() == "team":
            return (self | self._wisdom_led_teams().member_ids).ids
        return self.ids

    def _wisdom_scope_domain(self, owner_field, team_field):
        self.ensure_one()
        scope = self._wisdom_data_scope()
        if scope == "all":
            return Domain.TRUE
        domain = Domain(owner_field, "in", self._wisdom_scope_user_ids())
        if scope == "team" and team_field and (team_ids := self._wisdom_led_teams().ids):
            domain |= Domain(team_field, "in", team_ids)
        return domain

    def _wisdom_pool_ids(self):
        """Public pools this user belongs to, directly or through a sales team."""
        self.ensure_one()
        teams = self.env["crm.team"].sudo().search(["|", ("member_ids", "in", self.ids), ("user_id", "=", self.id)])
        return (
            self.env["wisdom.customer.pool"]
            .sudo()
            .search(
                [
                    "|",
                    "|",
                    "|",
                    ("open_to_all_reps", "=", True) if self.has_group(GROUP_REP) else ("id", "=", 0),
                    ("member_user_ids", "in", self.ids),
                    ("admin_ids", "in", self.ids),
                    ("member_team_ids", "in", teams.ids),
                ]
            )
            .ids
        )

    def _wisdom_record_scope_fields(self):
        """Model -> (owner field path, sales team field path or None) of the role record rules.

        Addons that add scoped models extend this and write an ``ir.rule`` whose domain is
        ``user._wisdom_record_rule_domain('<model>')``.
        """
        return dict(RECORD_SCOPE_FIELDS)

    def _wisdom_record_rule_domain(self, model_name, mode="read"):
        """Domain of the global role rule on ``model_name`` (see wisdom_crm_base_rules.xml).

        Cached by ir.rule per user; crm.team and pool membership changes clear that cache.
        """
        self.ensure_one()
        domain = self._wisdom_scope_domain(*self._wisdom_record_scope_fields()[model_name])
        if model_name == "res.partner" and not domain.is_true():
            if mode == "read" and (pool_ids := self._wisdom_pool_ids()):
                # Customers waiting in the user's pools can be read (and claimed), not changed.
                domain |= Domain("wisdom_scope_pool_state", "=", "pool") & Domain(
                    "wisdom_scope_pool_id", "in", pool_ids
                )
            # Only CRM customers and their contacts are scoped: the company, internal users'
            # partners and vendors stay visible so that chatter, mentions and Discuss work.
            # (wisdom_scope_*: the commercial entity's values, stored on each row, res_partner_scope.py)
            domain = Domain("wisdom_scope_customer", "=", False) | domain
        return list(domain)
