from odoo import api, fields, models

from odoo.addons.wisdom_crm_base.tools import currency as currency_tools


class SaleOrder(models.Model):
    """The contract's total and margin in the company currency (CNY), for whatever adds contracts of
    several currencies together: the contract pivot, dashboards, partner and team totals. A USD or EUR
    contract counts at the rate of its contract date (Odoo's ``currency_rate``, as ``sale.report`` does);
    the contract itself keeps its figures in its own currency."""

    _inherit = "sale.order"

    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    amount_total_company = fields.Monetary(
        string="Total (Company Currency)",
        compute="_compute_amounts_company",
        store=True,
        currency_field="company_currency_id",
        help="The contract total in the company currency at the rate of the contract date.",
    )
    margin_company = fields.Monetary(
        string="Margin (Company Currency)",
        compute="_compute_amounts_company",
        store=True,
        currency_field="company_currency_id",
        help="The contract margin in the company currency at the rate of the contract date.",
    )

    # COMPUTE METHODS

    @api.depends("amount_total", "margin", "currency_rate")
    def _compute_amounts_company(self):
        for order in self:
            rate = 1.0 / (order.currency_rate or 1.0)
            rounding = (order.company_id or self.env.company).currency_id.rounding
            order.amount_total_company = currency_tools.convert(order.amount_total, rate, rounding)
            order.margin_company = currency_tools.convert(order.margin, rate, rounding)
