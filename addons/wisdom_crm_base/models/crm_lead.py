from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def _prepare_customer_values(self, partner_name, is_company=False, parent_id=False):
        # A company created from a lead is a CRM customer owned by the lead's salesperson.
        values = super()._prepare_customer_values(partner_name, is_company=is_company, parent_id=parent_id)
        if is_company or not parent_id:
            values["wisdom_customer"] = True
        return values
