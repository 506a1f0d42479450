from odoo import models


class CrmLead2OpportunityPartnerMass(models.TransientModel):
    _inherit = "crm.lead2opportunity.partner.mass"

    def _convert_and_allocate(self, leads, user_ids, team_id=False):
        """Converting many leads: the customers they need are created in one batch first (see
        ``crm.lead._handle_partner_assignment``); the conversion then finds them on the leads."""
        self.ensure_one()
        if self.action in ("create", "each_exist_or_create") and not self.partner_id:
            todo = leads.filtered(lambda lead: lead.active and not lead.partner_id)
            if self.action == "each_exist_or_create":
                for lead in todo:
                    # what the conversion would pick for this lead: an existing partner by e-mail
                    if match := lead._find_matching_partner():
                        lead.partner_id = match
                todo = todo.filtered(lambda lead: not lead.partner_id)
            todo.with_context(default_user_id=self.user_id.id)._handle_partner_assignment(
                create_missing=True, with_parent=self.commercial_partner_id
            )
        return super()._convert_and_allocate(leads, user_ids, team_id=team_id)
