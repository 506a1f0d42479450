from odoo import api, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    # A manager's record-rule domain lists the members of the teams they lead (ir.rule caches it
    # per user), so any change of leader or membership must drop that cache.

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        self.env.registry.clear_cache()
        return teams

    def write(self, vals):
        res = super().write(vals)
        if {"user_id", "member_ids", "crm_team_member_ids", "active"} & vals.keys():
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res


class CrmTeamMember(models.Model):
    _inherit = "crm.team.member"

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        self.env.registry.clear_cache()
        return members

    def write(self, vals):
        res = super().write(vals)
        if {"user_id", "crm_team_id", "active"} & vals.keys():
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
