from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.wisdom_crm_base.tools import currency as currency_tools

from ..tools import money, money_sql


class WisdomCollectionPlanLine(models.Model):
    """The plan line's amounts in the company currency (CNY), for whatever adds the instalments of
    contracts in several currencies: collection against plan, ageing, the cash-in forecast, the
    shipping gate's credit limit and tolerated overdue. The line itself stays in its contract's currency."""

    _inherit = "wisdom.collection.plan.line"

    # at the company rate of the day they were computed; the nightly run keeps open lines current
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    amount_company = fields.Monetary(
        string="Planned (Company Currency)",
        compute="_compute_amounts_company",
        store=True,
        currency_field="company_currency_id",
    )
    paid_amount_company = fields.Monetary(
        string="Collected (Company Currency)",
        compute="_compute_amounts_company",
        store=True,
        currency_field="company_currency_id",
    )
    residual_company = fields.Monetary(
        string="Outstanding (Company Currency)",
        compute="_compute_amounts_company",
        store=True,
        currency_field="company_currency_id",
    )

    # COMPUTE METHODS

    @api.depends("amount", "paid_amount", "residual", "currency_id", "company_id")
    def _compute_amounts_company(self):
        today = fields.Date.context_today(self)
        rates = {}
        for line in self:
            company = line.company_id or self.env.company
            currency = line.currency_id or company.currency_id
            if (currency, company) not in rates:
                rates[currency, company] = company._wisdom_rates_of_day(currency, today)[currency]
            rate, rounding = rates[currency, company], company.currency_id.rounding
            line.amount_company = currency_tools.convert(line.amount, rate, rounding)
            line.paid_amount_company = currency_tools.convert(line.paid_amount, rate, rounding)
            line.residual_company = currency_tools.convert(line.residual, rate, rounding)

    # BUSINESS METHODS

    def _wisdom_open_in_company_currency(self, company, today):
        """``(receivable, ((overdue days, overdue amount), ...))`` of these lines in ``company``'s currency:
        lines of several contracts and currencies are compared with limits in the company currency, so
        each currency counts at the company rate of the day."""
        rates = company._wisdom_rates_of_day(self.currency_id, today)
        rounding = company.currency_id.rounding
        receivable = company._wisdom_company_total(
            (currency, float(group._wisdom_figures(today).receivable))
            for currency, group in self.grouped("currency_id").items()
        )
        overdue = []
        for line in self:
            money_line = line._wisdom_money_line()
            if money.is_overdue(money_line, today):
                amount = currency_tools.convert(float(money.outstanding(money_line)), rates[line.currency_id], rounding)
                overdue.append((money.overdue_days(money_line, today), amount))
        return receivable, tuple(overdue)

    def _wisdom_refresh_company_amounts(self):
        """Daily: the open lines in a currency other than their company's count at today's rate."""
        rows = self.env.execute_query(
            SQL(
                """
            SELECT line.id
              FROM wisdom_collection_plan_line line
              JOIN res_company company ON company.id = line.company_id
             WHERE %s > 0 AND line.currency_id <> company.currency_id
            """,
                money_sql.outstanding(),
            )
        )
        lines = self.browse([row[0] for row in rows])
        names = ["amount_company", "paid_amount_company", "residual_company"]
        for name in names:
            self.env.add_to_compute(self._fields[name], lines)
        lines.flush_recordset(names)
