from odoo import api, fields, models

from ..tools import currency as currency_tools


class ResCompany(models.Model):
    _inherit = "res.company"

    wisdom_default_pool_id = fields.Many2one(
        "wisdom.customer.pool",
        string="Default Public Pool",
        help="Customers whose owner's sales team has no public pool belong to this pool.",
    )

    def _wisdom_default_pool(self):
        """The company's default pool, created (open to every sales user) the first time it is needed."""
        self.ensure_one()
        if not self.wisdom_default_pool_id:
            pool = self.env.ref("wisdom_crm_base.pool_default", raise_if_not_found=False)
            if not pool or self.env["res.company"].sudo().search_count([("wisdom_default_pool_id", "=", pool.id)]):
                pool = (
                    self.env["wisdom.customer.pool"]
                    .sudo()
                    .create(
                        {
                            "name": self.env._("Default Public Pool (%s)", self.name),
                            "open_to_all_reps": True,
                        }
                    )
                )
            self.sudo().wisdom_default_pool_id = pool
        return self.wisdom_default_pool_id

    @api.model
    def _wisdom_install_default_pools(self):
        """The main company gets the default pool of the data file (other companies get theirs when
        one of their customers first needs it); customers without a pool join one."""
        if main := self.env.ref("base.main_company", raise_if_not_found=False):
            main.sudo()._wisdom_default_pool()
        self.env["res.partner"]._wisdom_pool_poolless_customers()

    # BUSINESS METHODS: company-currency figures (the rule is tools/currency.py)

    def _wisdom_rates_of_day(self, currencies, date=None):
        """``{res.currency: rate}``: one unit of each currency in this company's currency at the company
        rate of ``date`` (default today)."""
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        Currency = self.env["res.currency"]
        return {
            currency: Currency._get_conversion_rate(currency, self.currency_id, self, date) for currency in currencies
        }

    def _wisdom_company_total(self, rows, date=None):
        """Total in this company's currency of ``(res.currency, amount)`` rows (e.g. a ``_read_group`` by
        currency), each currency converted once at the company rate of ``date`` (default today)."""
        self.ensure_one()
        amounts = currency_tools.sums_by_currency((currency or self.currency_id, amount) for currency, amount in rows)
        rates = self._wisdom_rates_of_day(amounts, date)
        return currency_tools.company_total(amounts, rates, self.currency_id.rounding)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    wisdom_default_pool_id = fields.Many2one(
        related="company_id.wisdom_default_pool_id",
        readonly=False,
        string="Default Public Pool",
    )


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    # res.partner caches which sequence numbers its customers (_wisdom_customer_sequence_id).

    @api.model_create_multi
    def create(self, vals_list):
        sequences = super().create(vals_list)
        if any(vals.get("code") == "wisdom.customer.code" for vals in vals_list):
            self.env.registry.clear_cache()
        return sequences

    def write(self, vals):
        touched = "wisdom.customer.code" in [vals.get("code"), *self.mapped("code")]
        res = super().write(vals)
        if touched and {"code", "company_id", "active"} & vals.keys():
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        touched = "wisdom.customer.code" in self.mapped("code")
        res = super().unlink()
        if touched:
            self.env.registry.clear_cache()
        return res
