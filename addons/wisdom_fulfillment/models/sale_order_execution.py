import logging

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.wisdom_crm_base.tools import currency as currency_tools

from ..tools import money, money_sql

_logger = logging.getLogger(__name__)

EXECUTION_STATES = [
    ("not_started", "Not Started"),
    ("shipping", "Shipping"),
    ("invoicing", "Invoicing"),
    ("collecting", "Collecting"),
    ("retention", "Retention Only"),
    ("closed", "Closed"),
]
# execution figures that dashboards, reports and partner totals add over contracts of any currency
COMPANY_FIGURES = ("invoiced_amount", "collected_amount", "receivable_amount", "overdue_amount", "retention_due_amount")
# the stored execution figures, recomputed together by _compute_execution
EXECUTION_FIELDS = (
    "shipped_amount",
    "shipped_percent",
    "invoiced_amount",
    "invoiced_percent",
    "collected_amount",
    "collected_percent",
    "outstanding_amount",
    "receivable_amount",
    "overdue_amount",
    "overdue_days",
    "retention_outstanding",
    "retention_due_amount",
    "execution_state",
    # the same figures in the company currency (at the company rate of the day), for totals over contracts
    *(f"{name}_company" for name in COMPANY_FIGURES),
)
RECOMPUTE_BATCH = 5000


def _empty_facts(today):
    return {
        "shipped": 0.0,
        "invoiced": 0.0,
        "collected": 0.0,
        "open": 0,
        "open_retention": 0,
        "figures": money.figures([], today),
        "retention_due": 0.0,
    }


class SaleOrder(models.Model):
    """The contract's execution figures (合同执行状态): shipped, invoiced, collected, receivable, overdue.

    The figures are stored, so that contracts can be searched, sorted and grouped by them. They follow
    the events that change them through their dependencies (shipment confirmation → delivered
    quantities, invoice posting, collection allocation → the plan lines' collected and outstanding
    amounts, plan changes); what changes with the date alone (receivable, overdue, retention falling
    due) is refreshed by the nightly collection run (``_wisdom_recompute_execution``). The compute reads
    a whole batch of contracts in a few queries built from ``tools/money_sql.py`` and the ORM writes
    them back in batched statements.
    """

    _inherit = "sale.order"

    # Execution status (合同执行状态) -- names are part of the public API
    shipped_amount = fields.Monetary(string="Shipped Amount", compute="_compute_execution", store=True)
    shipped_percent = fields.Float(string="Shipped %", compute="_compute_execution", store=True, aggregator="avg")
    invoiced_amount = fields.Monetary(string="Invoiced Amount", compute="_compute_execution", store=True)
    invoiced_percent = fields.Float(string="Invoiced %", compute="_compute_execution", store=True, aggregator="avg")
    collected_amount = fields.Monetary(string="Collected Amount", compute="_compute_execution", store=True)
    collected_percent = fields.Float(string="Collected %", compute="_compute_execution", store=True, aggregator="avg")
    outstanding_amount = fields.Monetary(
        string="Outstanding",
        compute="_compute_execution",
        store=True,
        help="Everything planned and not yet collected or disposed of.",
    )
    receivable_amount = fields.Monetary(
        string="Receivable",
        compute="_compute_execution",
        store=True,
        help="Due now: instalments whose event has happened and whose due date has "
        "come, not yet collected. Retention not yet due is not included.",
    )
    overdue_amount = fields.Monetary(string="Overdue Amount", compute="_compute_execution", store=True)
    overdue_days = fields.Integer(string="Overdue Days", compute="_compute_execution", store=True, aggregator="max")
    retention_outstanding = fields.Monetary(
        string="Retention Not Yet Due",
        compute="_compute_execution",
        store=True,
        help="Retention still to collect whose due date has not come; it becomes receivable on its due date.",
    )
    retention_due_amount = fields.Monetary(
        string="Retention Due",
        compute="_compute_execution",
        store=True,
        help="Retention (质保金) whose due date has come, not yet collected.",
    )
    # Company currency (CNY): what adds contracts together (dashboards, pivots, partner and team totals)
    # reads these (and wisdom_contract's amount_total_company); a USD or EUR contract counts at the company
    # rate of the day its figures were computed (the nightly run recomputes the contracts with anything
    # receivable or overdue).
    invoiced_amount_company = fields.Monetary(
        string="Invoiced (Company Currency)",
        compute="_compute_execution",
        store=True,
        currency_field="company_currency_id",
    )
    collected_amount_company = fields.Monetary(
        string="Collected (Company Currency)",
        compute="_compute_execution",
        store=True,
        currency_field="company_currency_id",
    )
    receivable_amount_company = fields.Monetary(
        string="Receivable (Company Currency)",
        compute="_compute_execution",
        store=True,
        currency_field="company_currency_id",
    )
    overdue_amount_company = fields.Monetary(
        string="Overdue (Company Currency)",
        compute="_compute_execution",
        store=True,
        currency_field="company_currency_id",
    )
    retention_due_amount_company = fields.Monetary(
        string="Retention Due (Company Currency)",
        compute="_compute_execution",
        store=True,
        currency_field="company_currency_id",
    )
    execution_state = fields.Selection(
        EXECUTION_STATES, string="Execution Status", compute="_compute_execution", store=True, index=True
    )
    retention_due_date = fields.Date(string="Retention Due Date", compute="_compute_next_instalment")
    next_plan_line_id = fields.Many2one(
        "wisdom.collection.plan.line", string="Next Instalment", compute="_compute_next_instalment"
    )
    next_due_date = fields.Date(string="Next Due Date", compute="_compute_next_instalment")

    _overdue_amount_index = models.Index("(overdue_amount) WHERE overdue_amount > 0")

    # COMPUTE METHODS

    @api.depends(
        "state",
        "amount_total",
        "currency_id",
        "order_line.qty_delivered",
        "order_line.price_total",
        "order_line.product_uom_qty",
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.amount_total",
        "plan_line_ids.amount",
        "plan_line_ids.residual",
        "plan_line_ids.paid_amount",
        "plan_line_ids.due_date",
        "plan_line_ids.kind",
        "company_id",
    )
    def _compute_execution(self):
        today = fields.Date.context_today(self)
        # a contract edited in a form (a new record with an origin) shows the figures of its origin; a
        # quotation that has nothing to count (never confirmed) is not read from the database
        stored = self.browse(
            {order._origin.id for order in self if order._origin.id and order._origin._wisdom_may_have_execution()}
        )
        facts = stored._wisdom_execution_facts(today) if stored else {}
        empty = _empty_facts(today)
        rates = {}
        for order in self:
            fact = facts.get(order._origin.id) or empty
            figures = fact["figures"]
            total = order.amount_total
            order.shipped_amount = fact["shipped"]
            order.invoiced_amount = fact["invoiced"]
            order.collected_amount = fact["collected"]
            for name in ("shipped", "invoiced", "collected"):
                order[f"{name}_percent"] = round(100.0 * fact[name] / total, 2) if total else 0.0
            order.outstanding_amount = float(figures.outstanding)
            order.receivable_amount = float(figures.receivable)
            order.overdue_amount = float(figures.overdue)
            order.overdue_days = figures.overdue_days
            order.retention_outstanding = float(figures.retention_pending)
            order.retention_due_amount = fact["retention_due"]
            order.execution_state = order._wisdom_execution_state(fact["open"], fact["open_retention"])
            order._wisdom_set_company_figures(today, rates)

    @api.depends("plan_line_ids.residual", "plan_line_ids.due_date", "plan_line_ids.kind")
    def _compute_next_instalment(self):
        today = fields.Date.context_today(self)
        for order in self:
            # the figures of the whole contract, whoever is responsible for each instalment
            open_lines = order.sudo().plan_line_ids.filtered(lambda ln: ln.residual > 0)
            retention = [ln for ln in open_lines if money.is_retention_pending(ln._wisdom_money_line(), today)]
            upcoming = open_lines.filtered("due_date").sorted(lambda ln: (ln.due_date, ln.sequence, ln.id))[:1]
            order.next_plan_line_id = upcoming.id
            order.next_due_date = upcoming.due_date
            order.retention_due_date = min((ln.due_date for ln in retention if ln.due_date), default=False)

    # BUSINESS METHODS: execution figures

    def _wisdom_set_company_figures(self, today, rates):
        """Set the company-currency twins of COMPANY_FIGURES at the company rate of ``today``; ``rates``
        caches one rate per currency and company over a batch."""
        self.ensure_one()
        company = self.company_id or self.env.company
        currency = self.currency_id or company.currency_id
        if (currency, company) not in rates:
            rates[currency, company] = company._wisdom_rates_of_day(currency, today)[currency]
        for name in COMPANY_FIGURES:
            self[f"{name}_company"] = currency_tools.convert(
                self[name], rates[currency, company], company.currency_id.rounding
            )

    def _wisdom_may_have_execution(self):
        """Whether the figures of this stored contract have to be read: it is confirmed, or it keeps
        instalments, delivered quantities or invoices of an earlier confirmation. A new quotation has
        none of them, and its figures are zero without the four queries of ``_wisdom_execution_facts``
        (about 9 ms of the 105 ms a contract save takes)."""
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            return True
        order = self.sudo()
        return bool(order.plan_line_ids) or any(line.qty_delivered or line.invoice_lines for line in order.order_line)

    def _wisdom_execution_state(self, open_count, open_retention_count):
        """The status from the stored amounts of this contract and its count of open instalments."""
        self.ensure_one()
        rounding = self.currency_id
        if self.state != "sale" or not (self.shipped_amount or self.invoiced_amount or self.collected_amount):
            return "not_started"
        if rounding.compare_amounts(self.shipped_amount, self.amount_total) < 0:
            return "shipping"
        if rounding.compare_amounts(self.invoiced_amount, self.amount_total) < 0:
            return "invoicing"
        if not open_count:
            return "closed"
        return "retention" if open_count == open_retention_count else "collecting"

    def _wisdom_execution_facts(self, today):
        """``{order id: facts}`` of these (stored) contracts in three queries: shipped value of the
        delivered quantities, posted customer invoices less refunds, and the plan figures of
        ``tools/money_sql.py``. The rows are read from the database, so what they depend on is flushed first."""
        self.env["sale.order.line"].flush_model(
            ["order_id", "qty_delivered", "price_total", "product_uom_qty", "display_type", "invoice_lines"]
        )
        self.env["account.move.line"].flush_model(["move_id"])
        self.env["account.move"].flush_model(["state", "move_type", "amount_total"])
        self.env["wisdom.collection.plan.line"].flush_model(
            ["order_id", "amount", "paid_amount", "disposed_amount", "residual", "due_date", "kind"]
        )
        ids = tuple(self.ids)
        facts = {order_id: _empty_facts(today) for order_id in ids}
        for order_id, shipped in self.env.execute_query(
            SQL(
                """
            SELECT order_id, SUM(qty_delivered * price_total / product_uom_qty)
              FROM sale_order_line
             WHERE order_id IN %s AND display_type IS NULL AND product_uom_qty <> 0 AND qty_delivered <> 0
             GROUP BY order_id
            """,
                ids,
            )
        ):
            facts[order_id]["shipped"] = float(shipped)
        for order_id, invoiced in self.env.execute_query(
            SQL(
                """
            SELECT linked.order_id,
                   SUM(CASE WHEN move.move_type = 'out_refund' THEN -move.amount_total ELSE move.amount_total END)
              FROM (SELECT DISTINCT sol.order_id, aml.move_id
                      FROM sale_order_line sol
                      JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
                      JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                     WHERE sol.order_id IN %s) linked
              JOIN account_move move ON move.id = linked.move_id
             WHERE move.state = 'posted' AND move.move_type IN ('out_invoice', 'out_refund')
             GROUP BY linked.order_id
            """,
                ids,
            )
        ):
            facts[order_id]["invoiced"] = float(invoiced)
        where = SQL("line.order_id IN %s", ids)
        for row in self.env.execute_query(money_sql.figures_query(today, SQL("line.order_id"), where)):
            facts[row[0]]["figures"] = money_sql.to_figures(row[1:])
        retention_due = SQL("(%s AND line.kind = %s)", money_sql.is_receivable(today), money.RETENTION)
        for order_id, collected, open_count, open_retention, due in self.env.execute_query(
            SQL(
                """
            SELECT line.order_id, COALESCE(SUM(line.paid_amount), 0),
                   COUNT(*) FILTER (WHERE %(out)s > 0),
                   COUNT(*) FILTER (WHERE %(out)s > 0 AND line.kind = %(retention)s),
                   COALESCE(SUM(%(out)s) FILTER (WHERE %(retention_due)s), 0)
              FROM wisdom_collection_plan_line line
             WHERE %(where)s
             GROUP BY line.order_id
            """,
                out=money_sql.outstanding(),
                retention=money.RETENTION,
                retention_due=retention_due,
                where=where,
            )
        ):
            facts[order_id].update(
                collected=float(collected),
                open=open_count,
                open_retention=open_retention,
                retention_due=float(money.quantize(due)),
            )
        return facts

    def _wisdom_recompute_execution(self):
        """Recompute the stored execution figures of these contracts now, in batches (set-based reads,
        batched writes)."""
        names = list(EXECUTION_FIELDS)
        for start in range(0, len(self), RECOMPUTE_BATCH):
            batch = self[start : start + RECOMPUTE_BATCH]
            for name in names:
                self.env.add_to_compute(self._fields[name], batch)
            batch.flush_recordset(names)
        return len(self)

    @api.model
    def _wisdom_refresh_execution_dates(self, today):
        """Nightly: the contracts whose figures change with the date alone (an open instalment due by
        today, i.e. receivable, overdue or retention falling due) are recomputed."""
        self.env["wisdom.collection.plan.line"].flush_model(["order_id", "residual", "due_date"])
        rows = self.env.execute_query(
            SQL(
                """
            SELECT DISTINCT line.order_id
              FROM wisdom_collection_plan_line line
             WHERE %s > 0 AND line.due_date <= %s
            UNION
            SELECT id FROM sale_order WHERE overdue_amount > 0 OR receivable_amount > 0
            """,
                money_sql.outstanding(),
                today,
            )
        )
        count = self.browse([row[0] for row in rows])._wisdom_recompute_execution()
        _logger.info("Execution figures refreshed for %s contracts", count)
        return count
