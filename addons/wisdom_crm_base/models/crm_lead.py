from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    wisdom_duplicate_warning = fields.Html(
        string="Matching Customers",
        compute="_compute_wisdom_duplicate_warning",
        sanitize=False,
        help="Customers in the customer library that the company of this lead may already be.",
    )

    @api.depends("partner_name", "partner_id", "email_from", "phone")
    def _compute_wisdom_duplicate_warning(self):
        Partner = self.env["res.partner"]
        for lead in self:
            lead.wisdom_duplicate_warning = False
            if lead.partner_name and not lead.partner_id:
                matches = Partner.wisdom_check_duplicates(
                    {"name": lead.partner_name, "email": lead.email_from, "phone": lead.phone}
                )
                lead.wisdom_duplicate_warning = Partner._wisdom_duplicate_html(matches)

    def _create_customer(self, with_parent=None):
        # A company created from a lead is a CRM customer, owned by the lead's salesperson.
        lead = self.with_context(default_wisdom_customer=True)
        return super(CrmLead, lead)._create_customer(with_parent=with_parent)
