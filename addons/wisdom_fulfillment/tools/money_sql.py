"""The money rules of ``money`` as SQL, for set-based reads over many plan lines.

Each expression says exactly what its function in ``money`` says (the test
``test_money_rules.TestMoneySql`` checks them against each other on random plans). The only
Odoo import is ``odoo.tools.SQL``, so that values always travel as parameters.
"""

from odoo.tools import SQL

from .money import AGEING_BUCKETS, RETENTION, Figures
from .plan import quantize


def outstanding(alias="line"):
    """money.outstanding: the stored ``residual``, which the plan line computes with it (and which the
    partial index on open lines covers)."""
    return SQL.identifier(alias, "residual")


def is_receivable(today, alias="line"):
    return SQL("(%s > 0 AND %s <= %s)", outstanding(alias), SQL.identifier(alias, "due_date"), today)


def is_overdue(today, alias="line"):
    return SQL("(%s > 0 AND %s < %s)", outstanding(alias), SQL.identifier(alias, "due_date"), today)


def overdue_days(today, alias="line"):
    return SQL(
        "CASE WHEN %s THEN %s - %s ELSE 0 END", is_overdue(today, alias), today, SQL.identifier(alias, "due_date")
    )


def ageing_bucket(today, alias="line"):
    """money.ageing_bucket: NULL unless overdue, else the first bucket that holds its days late."""
    days = overdue_days(today, alias)
    branches = SQL(" ").join(
        SQL("WHEN %s <= %s THEN %s", days, most, key) if most is not None else SQL("ELSE %s", key)
        for key, _label, most in AGEING_BUCKETS
    )
    # (a line without a due date is not overdue: the outer CASE then gives NULL)
    return SQL("CASE WHEN %s THEN (CASE %s END) END", is_overdue(today, alias), branches)


def is_retention_pending(today, alias="line"):
    due = SQL.identifier(alias, "due_date")
    return SQL(
        "(%s = %s AND %s > 0 AND (%s IS NULL OR %s > %s))",
        SQL.identifier(alias, "kind"),
        RETENTION,
        outstanding(alias),
        due,
        due,
        today,
    )


def figures_query(today, group_by, where):
    """``SELECT <group_by>, outstanding, receivable, overdue, overdue_days, retention_pending,
    retention_due_date`` over ``wisdom_collection_plan_line line`` joined to its contract
    ``sale_order contract``, for the rows matching ``where`` (an SQL condition)."""
    line_out = outstanding()
    retention = is_retention_pending(today)
    return SQL(
        """
        SELECT %(group_by)s,
               COALESCE(SUM(%(out)s), 0),
               COALESCE(SUM(%(out)s) FILTER (WHERE %(receivable)s), 0),
               COALESCE(SUM(%(out)s) FILTER (WHERE %(overdue)s), 0),
               COALESCE(MAX(%(days)s), 0),
               COALESCE(SUM(%(out)s) FILTER (WHERE %(retention)s), 0),
               MIN(line.due_date) FILTER (WHERE %(retention)s)
          FROM wisdom_collection_plan_line line
          JOIN sale_order contract ON contract.id = line.order_id
         WHERE %(where)s
         GROUP BY %(group_by)s
        """,
        group_by=group_by,
        out=line_out,
        receivable=is_receivable(today),
        overdue=is_overdue(today),
        days=overdue_days(today),
        retention=retention,
        where=where,
    )


def to_figures(row):
    """money.Figures from the six figure columns of a ``figures_query`` row (numbers arrive as floats)."""
    outstanding_, receivable, overdue, days, retention, retention_due = row
    return Figures(
        quantize(outstanding_), quantize(receivable), quantize(overdue), int(days), quantize(retention), retention_due
    )


def forecast_query(where, amount=None):
    """``SELECT month, amount``: money.forecast over the plan lines matching ``where``; ``amount`` is the
    column summed (default the outstanding amount in the contract currency; the company-currency twin
    when contracts of several currencies are added)."""
    return SQL(
        """
        SELECT DATE_TRUNC('month', line.due_date)::date AS month, SUM(%(amount)s)
          FROM wisdom_collection_plan_line line
          JOIN sale_order contract ON contract.id = line.order_id
         WHERE %(where)s AND line.due_date IS NOT NULL AND %(out)s > 0
         GROUP BY 1
         ORDER BY 1
        """,
        out=outstanding(),
        amount=amount or outstanding(),
        where=where,
    )
