from odoo import api, models


class AccountAnalyticDistributionModel(models.Model):
    _inherit = "account.analytic.distribution.model"

    @api.model
    def _get_distribution(self, vals):
        """Odoo looks up the analytic distribution models of every new contract line (a search per line,
        15 % of loading a historical contract). In a migration run the models do not change, so the
        answer for the same product, customer and company is remembered for the rest of the run (the
        journal items of Odoo's invoices are already looked up this way, per batch)."""
        if not self.env.context.get("wisdom_migration"):
            return super()._get_distribution(vals)
        try:
            key = tuple(
                sorted((name, tuple(value) if isinstance(value, list) else value) for name, value in vals.items())
            )
            hash(key)
        except TypeError:
            return super()._get_distribution(vals)
        known = self.env.cr.precommit.data.setdefault("wisdom_migration.analytic_distributions", {})
        if key not in known:
            known[key] = super()._get_distribution(vals)
        return dict(known[key])
