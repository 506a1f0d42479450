from odoo import api, fields, models


class WisdomInvoiceRequest(models.Model):
    """The request's total in the company currency (CNY), for the invoiced-amount statistics that add
    requests of USD/EUR and CNY contracts together; the request itself stays in its contract's currency."""

    _inherit = "wisdom.invoice.request"

    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    amount_total_company = fields.Monetary(
        string="Total (Company Currency)",
        compute="_compute_amount_total_company",
        store=True,
        currency_field="company_currency_id",
        help="The total in the company currency at the company rate of the issue date "
        "(of the day it was computed while not issued).",
    )

    # COMPUTE METHODS

    @api.depends("amount_total", "currency_id", "company_id", "issue_date")
    def _compute_amount_total_company(self):
        for request in self:
            company = request.company_id or self.env.company
            request.amount_total_company = company._wisdom_company_total(
                [(request.currency_id, request.amount_total)], request.issue_date
            )
