from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    wisdom_demand_ids = fields.One2many("wisdom.contract.demand", "opportunity_id", string="Demands")
    wisdom_demand_count = fields.Integer(string="Demand Count", compute="_compute_wisdom_demand_count")

    # COMPUTE METHODS

    def _compute_wisdom_demand_count(self):
        for lead in self:
            lead.wisdom_demand_count = len(lead.wisdom_demand_ids)

    # ACTION METHODS

    def action_wisdom_demands(self):
        """Open the opportunity's demands; a new one starts with its customer and rep."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("wisdom_contract.action_wisdom_contract_demand")
        action.update(
            {
                "domain": [("opportunity_id", "=", self.id)],
                "context": {
                    "default_opportunity_id": self.id,
                    "default_partner_id": self.partner_id.commercial_partner_id.id,
                    "default_user_id": (self.user_id or self.env.user).id,
                },
            }
        )
        if not self.wisdom_demand_ids:
            action.update({"views": [(False, "form")], "view_mode": "form"})
        return action
