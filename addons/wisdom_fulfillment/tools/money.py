"""Money rules of the collection plan (回款计划) — the one definition of each figure.

A plan line is *outstanding* (未回款) while its amount is not fully collected or disposed of.
Of what is outstanding:

- *receivable* (应收, due now): the line's event has happened and its due date has come
  (``due_date <= today``);
- *overdue* (逾期): receivable and past its due date (``due_date < today``), counted in days from the
  due date;
- *retention pending* (质保金, not yet due): a retention line that is not receivable yet; it is shown
  apart and becomes receivable on its due date like any other instalment;
- *forecast* (回款预测): outstanding lines with a due date, by the month of that date; lines whose
  event has not happened have no due date and are left out.

Everything else calls these functions: the contract's execution status, the customer figures, the
shipping gate's credit-limit and overdue checks, the reports' filters and the daily alerts. The
domains below say the same for the ORM and search views, and ``money_sql`` says it for set-based SQL;
both are tested against these functions on random plans.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .plan import quantize, to_decimal

RETENTION = "retention"
# overdue ageing (账龄) buckets: (key, label, most days late in the bucket; None: no limit)
AGEING_BUCKETS = (
    ("0_30", "0-30 days", 30),
    ("31_90", "31-90 days", 90),
    ("91_180", "91-180 days", 180),
    ("over_180", "Over 180 days", None),
)


@dataclass(frozen=True)
class MoneyLine:
    amount: Decimal | float
    paid: Decimal | float = 0
    disposed: Decimal | float = 0
    due_date: date | None = None
    kind: str = ""


@dataclass(frozen=True)
class Figures:
    outstanding: Decimal
    receivable: Decimal
    overdue: Decimal
    overdue_days: int
    retention_pending: Decimal
    retention_due_date: date | None


# RULES (one line)


def outstanding(line, digits=2):
    """Not collected and not disposed of, never below zero."""
    return max(
        quantize(to_decimal(line.amount) - to_decimal(line.paid) - to_decimal(line.disposed), digits), Decimal(0)
    )


def is_receivable(line, today):
    """Due now: outstanding, its event has happened and its due date has come."""
    return outstanding(line) > 0 and line.due_date is not None and line.due_date <= today


def is_overdue(line, today):
    return outstanding(line) > 0 and line.due_date is not None and line.due_date < today


def overdue_days(line, today):
    return (today - line.due_date).days if is_overdue(line, today) else 0


def ageing_bucket(line, today):
    """The overdue ageing bucket of a line (``AGEING_BUCKETS`` key), None when it is not overdue."""
    days = overdue_days(line, today)
    if not days:
        return None
    return next(key for key, _label, most in AGEING_BUCKETS if most is None or days <= most)


def is_retention_pending(line, today):
    """Retention (质保金) still to collect that is not due yet (its warranty has not ended)."""
    return line.kind == RETENTION and outstanding(line) > 0 and not is_receivable(line, today)


# FIGURES (many lines)


def figures(lines, today, digits=2):
    """The figures of a contract, a customer or any set of plan lines."""
    lines = list(lines)
    retention = [ln for ln in lines if is_retention_pending(ln, today)]
    return Figures(
        outstanding=sum((outstanding(ln, digits) for ln in lines), Decimal(0)),
        receivable=sum((outstanding(ln, digits) for ln in lines if is_receivable(ln, today)), Decimal(0)),
        overdue=sum((outstanding(ln, digits) for ln in lines if is_overdue(ln, today)), Decimal(0)),
        overdue_days=max((overdue_days(ln, today) for ln in lines), default=0),
        retention_pending=sum((outstanding(ln, digits) for ln in retention), Decimal(0)),
        retention_due_date=min((ln.due_date for ln in retention if ln.due_date), default=None),
    )


def forecast(lines, digits=2):
    """``{first day of month: amount}`` of the outstanding lines, by the month of their due date."""
    result = {}
    for line in lines:
        amount = outstanding(line, digits)
        if amount > 0 and line.due_date is not None:
            month = line.due_date.replace(day=1)
            result[month] = result.get(month, Decimal(0)) + amount
    return dict(sorted(result.items()))


# DOMAINS (the same rules for searches on wisdom.collection.plan.line; ``residual`` is the stored
# ``outstanding``)


def outstanding_domain():
    return [("residual", ">", 0)]


def receivable_domain(today):
    return outstanding_domain() + [("due_date", "!=", False), ("due_date", "<=", today)]


def overdue_domain(today):
    return outstanding_domain() + [("due_date", "!=", False), ("due_date", "<", today)]


def retention_pending_domain(today):
    return outstanding_domain() + [("kind", "=", RETENTION), "|", ("due_date", "=", False), ("due_date", ">", today)]


def forecast_domain():
    return outstanding_domain() + [("due_date", "!=", False)]
