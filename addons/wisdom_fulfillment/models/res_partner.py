from dateutil.relativedelta import relativedelta

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _wisdom_customer_figures(self):
        """Contracts, invoices, collections, receivable and overdue from the contracts and plans.

        Sets (does not add to) the keys it owns, so the figures stay right whichever addon also fills them.
        """
        figures = super()._wisdom_customer_figures()
        if not self.ids:
            return figures
        today = fields.Date.context_today(self)
        year_ago = today - relativedelta(years=1)
        for values in figures.values():
            for key in (
                "contract_count",
                "contract_amount",
                "contract_amount_12m",
                "invoiced_amount",
                "collected_amount",
                "collected_amount_12m",
                "receivable_amount",
                "overdue_amount",
            ):
                values[key] = 0.0
        Order = self.env["sale.order"].sudo()
        base = [("partner_id.commercial_partner_id", "in", self.ids), ("state", "=", "sale")]
        # receivable and overdue: the contracts' stored execution figures (tools/money.py rules), all in
        # the company currency so that USD/EUR contracts add up with CNY ones
        for partner, count, amount, receivable, overdue in Order._read_group(
            base,
            ["partner_id"],
            ["__count", "amount_total_company:sum", "receivable_amount_company:sum", "overdue_amount_company:sum"],
        ):
            values = figures[partner.commercial_partner_id.id]
            values["contract_count"] += count
            values["contract_amount"] += amount
            values["receivable_amount"] += receivable
            values["overdue_amount"] += overdue
        recent = base + [("date_order", ">=", fields.Datetime.to_datetime(year_ago))]
        for partner, amount in Order._read_group(recent, ["partner_id"], ["amount_total_company:sum"]):
            figures[partner.commercial_partner_id.id]["contract_amount_12m"] += amount
        Move = self.env["account.move"].sudo()
        for partner, _move_type, amount in Move._read_group(
            [
                ("partner_id.commercial_partner_id", "in", self.ids),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
            ["partner_id", "move_type"],
            ["amount_total_signed:sum"],
        ):
            figures[partner.commercial_partner_id.id]["invoiced_amount"] += amount
        Allocation = self.env["wisdom.collection.allocation"].sudo()
        posted = [("plan_line_id.partner_id", "in", self.ids), ("state", "=", "posted")]
        for key, domain in (
            ("collected_amount", posted),
            ("collected_amount_12m", posted + [("date", ">=", year_ago)]),
        ):
            by_partner = {}
            for partner, currency, amount in Allocation._read_group(
                domain, ["order_partner_id", "payment_id.currency_id"], ["amount:sum"]
            ):
                by_partner.setdefault(partner.id, []).append((currency, amount))
            for partner_id, rows in by_partner.items():
                figures[partner_id][key] += self.env.company._wisdom_company_total(rows)
        return figures

    def _wisdom_overdue_amount(self):
        """Overdue from the collection plans (past due, not collected, not disposed) once the customer
        has plans; before that, the contract addon's measure from overdue invoices."""
        self.ensure_one()
        partner = self.commercial_partner_id
        Line = self.env["wisdom.collection.plan.line"].sudo()
        if not Line.search_count([("partner_id", "=", partner.id)], limit=1):
            return super()._wisdom_overdue_amount()
        # the stored figures of the customer's confirmed contracts, in the company currency
        [(overdue,)] = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [("partner_id.commercial_partner_id", "=", partner.id), ("state", "=", "sale")],
                [],
                ["overdue_amount_company:sum"],
            )
        )
        return overdue
