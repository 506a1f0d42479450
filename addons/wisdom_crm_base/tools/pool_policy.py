"""Public pool policy (公海池规则): who may claim, when a private customer returns to the pool.

Plain values in, plain answers out; the ORM gathers the figures (claims today, customers held,
dates of the last follow-up and deal) and applies the answer.
"""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass
class PoolLimits:
    daily_claim_limit: int = 0  # 0: no limit
    max_private_customers: int = 0  # 0: no limit
    cooling_days: int = 0  # a previous owner waits this long before claiming again


@dataclass
class ClaimContext:
    claims_today: int = 0
    private_customers: int = 0
    previous_owner: bool = False
    released_on: date | None = None
    today: date | None = None


class ClaimRefused(Exception):
    """``code`` is one of 'daily_limit', 'holding_limit', 'cooling'; ``params`` fill the message."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def check_claim(limits, context):
    """Raise ClaimRefused when the pool's limits forbid this claim."""
    if limits.daily_claim_limit and context.claims_today >= limits.daily_claim_limit:
        raise ClaimRefused("daily_limit", limit=limits.daily_claim_limit)
    if limits.max_private_customers and context.private_customers >= limits.max_private_customers:
        raise ClaimRefused("holding_limit", limit=limits.max_private_customers)
    if limits.cooling_days and context.previous_owner and context.released_on:
        allowed_from = context.released_on + timedelta(days=limits.cooling_days)
        if context.today < allowed_from:
            raise ClaimRefused("cooling", days=limits.cooling_days, allowed_from=allowed_from)


@dataclass
class ReclaimRule:
    """One pool rule for a grade: 0 days means the condition is off."""

    no_followup_days: int = 0
    no_deal_days: int = 0
    warning_days: int = 0
    exempt: bool = False


@dataclass
class ReclaimDue:
    due_on: date
    reason: str  # 'no_followup' or 'no_deal'


def reclaim_due(rule, owner_since, last_followup=None, last_deal=None):
    """When a private customer returns to the pool under ``rule``, and why; None if never.

    The clocks start when the current owner got the customer: a follow-up or deal of a previous
    owner does not keep it.
    """
    if rule.exempt:
        return None
    dues = []
    if rule.no_followup_days:
        start = max(d for d in (owner_since, last_followup) if d)
        dues.append(ReclaimDue(start + timedelta(days=rule.no_followup_days), "no_followup"))
    if rule.no_deal_days:
        start = max(d for d in (owner_since, last_deal) if d)
        dues.append(ReclaimDue(start + timedelta(days=rule.no_deal_days), "no_deal"))
    return min(dues, key=lambda due: due.due_on) if dues else None


def warning_on(rule, due):
    """The day the owner is warned of a coming reclaim (None: no warning)."""
    if not due or not rule.warning_days:
        return None
    return due.due_on - timedelta(days=rule.warning_days)
