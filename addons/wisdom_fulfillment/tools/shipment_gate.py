"""Shipping conditions (发货条件): which of a contract's conditions hold, each with its reason.

Conditions are configured per contract type; the checker gets the facts as plain values and
returns one result per condition. Reasons are keys with parameters so that the caller can say them
in the user's language.
"""

from dataclasses import dataclass, field

KINDS = ("approved", "archive", "prepayment", "credit_limit", "overdue")


@dataclass(frozen=True)
class Condition:
    kind: str
    name: str = ""
    percent: float = 0.0  # prepayment: % of the contract total received (0: the contract's prepayment terms)
    days: int = 0  # overdue: tolerated days
    amount: float = 0.0  # overdue: tolerated amount
    id: int = 0


@dataclass(frozen=True)
class Facts:
    approved: bool = False
    signed: bool = False
    archive_complete: bool = False
    contract_total: float = 0.0
    collected: float = 0.0  # collected on this contract
    prepayment_percent: float = 0.0  # the contract's prepayment terms, % of the total
    credit_limit: float = 0.0  # 0: no limit
    customer_receivable: float = 0.0  # open receivable of the customer (all contracts)
    overdue_lines: tuple = ()  # (overdue days, overdue amount) of the customer's overdue lines


@dataclass
class Result:
    condition: Condition
    passed: bool
    reason: str  # key of the explanation
    params: dict = field(default_factory=dict)


def check(conditions, facts):
    """One Result per condition, in the given order."""
    return [_CHECKS[c.kind](c, facts) for c in conditions]


def allowed(results):
    return all(r.passed for r in results)


def _approved(condition, facts):
    if not facts.approved:
        return Result(condition, False, "not_approved")
    if not facts.signed:
        return Result(condition, False, "not_signed")
    return Result(condition, True, "approved")


def _archive(condition, facts):
    return Result(condition, facts.archive_complete, "archived" if facts.archive_complete else "not_archived")


def _prepayment(condition, facts):
    required = condition.percent or facts.prepayment_percent
    received = 100.0 * facts.collected / facts.contract_total if facts.contract_total else 100.0
    params = {"required": round(required, 2), "received": round(received, 2)}
    # compared in cents: a percentage rounded up never lets a missing cent through
    passed = round(facts.collected, 2) >= round(facts.contract_total * required / 100.0, 2)
    return Result(condition, passed, "prepayment_received" if passed else "prepayment_missing", params)


def _credit_limit(condition, facts):
    params = {"limit": facts.credit_limit, "receivable": round(facts.customer_receivable, 2)}
    if not facts.credit_limit:
        return Result(condition, True, "no_credit_limit", params)
    passed = facts.customer_receivable <= facts.credit_limit
    return Result(condition, passed, "within_credit_limit" if passed else "over_credit_limit", params)


def _overdue(condition, facts):
    late = [(days, amount) for days, amount in facts.overdue_lines if days > condition.days and amount > 0]
    amount = round(sum(a for _days, a in late), 2)
    params = {
        "days": condition.days,
        "amount": amount,
        "tolerated": condition.amount,
        "max_days": max((d for d, _a in late), default=0),
    }
    passed = amount <= condition.amount
    return Result(condition, passed, "no_overdue" if passed else "overdue", params)


_CHECKS = {
    "approved": _approved,
    "archive": _archive,
    "prepayment": _prepayment,
    "credit_limit": _credit_limit,
    "overdue": _overdue,
}
