from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.wisdom_crm_base.models.res_users import GROUP_PRODUCT_MANAGER

from .wisdom_contract_demand_line import PLM_WAITING


class WisdomContractDemand(models.Model):
    _inherit = "wisdom.contract.demand"

    plm_to_request_count = fields.Integer(string="Items to Request", compute="_compute_plm_to_request_count")
    plm_waiting = fields.Boolean(
        string="Awaiting Material Codes", compute="_compute_plm_to_request_count", search="_search_plm_waiting"
    )

    # COMPUTE METHODS

    @api.depends("line_ids.plm_state")
    def _compute_plm_to_request_count(self):
        for demand in self:
            states = demand.line_ids.mapped("plm_state")
            demand.plm_to_request_count = sum(1 for state in states if state in ("to_request", "failed"))
            demand.plm_waiting = any(state in PLM_WAITING for state in states)

    def _search_plm_waiting(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        waiting = [("line_ids.plm_state", "in", list(PLM_WAITING))]
        return waiting if (True in value) == (operator == "in") else ["!", *waiting]

    # ACTION METHODS

    def action_wisdom_plm_request(self):
        """Product manager: request from PLM the material codes of the new items that have none yet."""
        self._ensure_group(GROUP_PRODUCT_MANAGER)
        endpoint = self.env["wisdom.integration.endpoint"]._wisdom_get("plm")
        for demand in self:
            if demand.state in ("draft", "done", "rejected", "cancel"):
                raise UserError(self.env._("Demand %s is not open for material code requests.", demand.name))
            lines = demand.line_ids.filtered(lambda line: line.plm_state in ("to_request", "failed"))
            if not lines:
                raise UserError(self.env._("No new item of demand %s waits for a material code request.", demand.name))
            lines._wisdom_plm_request(endpoint)
        return True

    # BUSINESS METHODS

    def _request_material_codes(self):
        """With an active PLM endpoint the codes are requested as soon as the demand reaches coding."""
        super()._request_material_codes()
        endpoint = self.env["wisdom.integration.endpoint"].sudo().search([("system", "=", "plm")], limit=1)
        lines = self.line_ids.filtered(lambda line: line.plm_state in ("to_request", "failed"))
        if not endpoint or not lines:
            return False
        return lines._wisdom_plm_request(endpoint)
