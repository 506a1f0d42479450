from odoo import api, fields, models
from odoo.tools import parse_contact_from_email


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

    def _handle_partner_assignment(self, force_partner_id=False, create_missing=True, with_parent=None):
        """Leads converted together get their customers in one ``create`` per kind (companies, then
        contacts) instead of one each, so that the duplicate check, the customer codes, the
        operation log and the chatter run once per batch (mass conversion of hundreds of leads).
        The partners are those ``_create_customer`` makes one lead at a time."""
        todo = self.filtered(lambda lead: not lead.partner_id)
        if force_partner_id or not create_missing or len(todo) < 2:
            return super()._handle_partner_assignment(force_partner_id, create_missing, with_parent)
        Partner = self.env["res.partner"].with_context(default_wisdom_customer=True)
        # the company of each lead: the given parent, else a new company named after partner_name
        new_companies = todo.filtered("partner_name") if not with_parent else self.browse()
        companies = dict(
            zip(
                new_companies,
                Partner.create(
                    [lead._prepare_customer_values(lead.partner_name, is_company=True) for lead in new_companies]
                ),
                strict=True,
            )
        )
        contacts, plain = [], []
        for lead in todo:
            contact_name = lead.contact_name or (
                parse_contact_from_email(lead.email_from)[0] if lead.email_from else False
            )
            company = with_parent or companies.get(lead, Partner)
            if contact_name:
                contacts.append((lead, lead._prepare_customer_values(contact_name, parent_id=company.id)))
            elif company:
                lead.partner_id = company
            else:
                plain.append((lead, lead._prepare_customer_values(lead.name)))
        for pairs in (contacts, plain):
            for (lead, _vals), partner in zip(pairs, Partner.create([vals for _lead, vals in pairs]), strict=True):
                lead.partner_id = partner
        return None

    def _create_customer(self, with_parent=None):
        # A company created from a lead is a CRM customer, owned by the lead's salesperson.
        lead = self.with_context(default_wisdom_customer=True)
        return super(CrmLead, lead)._create_customer(with_parent=with_parent)
