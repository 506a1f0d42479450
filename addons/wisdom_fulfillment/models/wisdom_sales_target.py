from datetime import timedelta

from odoo import api, fields, models


class WisdomSalesTarget(models.Model):
    _inherit = "wisdom.sales.target"

    @api.model
    def _wisdom_actual(self, metric, user_ids, date_from, date_to):
        """Contract amount: contracts signed in the period; collection amount: collections confirmed
        on the reps' instalments with a payment date in the period. Both in the company currency: a
        contract at the rate of its date, a collection at the company rate of the day."""
        if metric == "contract_amount":
            orders = (
                self.env["sale.order"]
                .sudo()
                ._read_group(
                    [
                        ("state", "=", "sale"),
                        ("user_id", "in", user_ids),
                        "|",
                        "&",
                        ("signed_date", ">=", date_from),
                        ("signed_date", "<=", date_to),
                        "&",
                        "&",
                        ("signed_date", "=", False),
                        ("date_order", ">=", fields.Datetime.to_datetime(date_from)),
                        ("date_order", "<", fields.Datetime.to_datetime(date_to) + timedelta(days=1)),
                    ],
                    [],
                    ["amount_total_company:sum"],
                )
            )
            return float(orders[0][0] or 0.0)
        if metric == "collection_amount":
            allocations = (
                self.env["wisdom.collection.allocation"]
                .sudo()
                ._read_group(
                    [
                        ("state", "=", "posted"),
                        ("user_id", "in", user_ids),
                        ("date", ">=", fields.Date.to_date(date_from)),
                        ("date", "<=", fields.Date.to_date(date_to)),
                    ],
                    ["payment_id.currency_id"],
                    ["amount:sum"],
                )
            )
            return self.env.company._wisdom_company_total(allocations)
        return super()._wisdom_actual(metric, user_ids, date_from, date_to)
