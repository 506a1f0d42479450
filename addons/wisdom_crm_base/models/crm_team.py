from odoo import models


class CrmTeam(models.Model):
    _name = "crm.team"
    _inherit = ["crm.team", "wisdom.registry.cache.mixin"]

    # A manager's record-rule domain lists the members of the teams they lead (ir.rule caches it
    # per user), so any change of leader or membership must drop that cache.
    _wisdom_cache_fields = frozenset({"user_id", "member_ids", "crm_team_member_ids", "active"})


class CrmTeamMember(models.Model):
    _name = "crm.team.member"
    _inherit = ["crm.team.member", "wisdom.registry.cache.mixin"]

    _wisdom_cache_fields = frozenset({"user_id", "crm_team_id", "active"})
