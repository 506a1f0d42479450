"""Collection plan (回款计划): instalment terms → plan lines, in Decimal arithmetic.

The plan always totals the contract: every split rounds half-up to the currency's digits and the
last part takes the remainder. Delivery instalments follow the shipped value (one share per
shipment), retention is anchored on the warranty end, and a recompute never changes what was paid.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

ANCHOR_BY_KIND = {
    "prepayment": "signing",
    "delivery": "shipment",
    "acceptance": "acceptance",
    "invoice": "invoice",
    "retention": "warranty_end",
    "custom": "signing",
}
HUNDRED = Decimal(100)


class PlanError(ValueError):
    """The instalments cannot make a plan (percentages, amounts)."""


@dataclass(frozen=True)
class Instalment:
    key: int  # the payment term line's id
    kind: str
    percent: Decimal
    days: int = 0


@dataclass(frozen=True)
class Shipment:
    key: int  # the shipment request's id
    date: date
    value: Decimal  # value of the quantities shipped


@dataclass(frozen=True)
class Events:
    """Dates of the anchor events known so far (None: not happened yet)."""

    signing: date | None = None
    acceptance: date | None = None
    invoice: date | None = None
    warranty_months: int = 0
    shipments: tuple = ()  # Shipment, in shipping order

    @property
    def last_shipment(self):
        return max((s.date for s in self.shipments), default=None)

    @property
    def warranty_end(self):
        start = self.acceptance or self.last_shipment
        return start + relativedelta(months=self.warranty_months) if start else None

    def anchor(self, event):
        return {
            "signing": self.signing,
            "acceptance": self.acceptance,
            "invoice": self.invoice,
            "warranty_end": self.warranty_end,
        }.get(event)


@dataclass
class PlanLine:
    term_key: int
    kind: str
    percent: Decimal
    amount: Decimal
    anchor_event: str
    anchor_date: date | None = None
    days: int = 0
    shipment_key: int | None = None  # delivery shares: the shipment they follow
    paid: Decimal = Decimal(0)
    due_date: date | None = field(default=None)

    def __post_init__(self):
        self.due_date = due_date(self.anchor_date, self.days)

    @property
    def key(self):
        return (self.term_key, self.shipment_key)


def to_decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def quantize(value, digits=2):
    return to_decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def due_date(anchor_date, days):
    return anchor_date + timedelta(days=days) if anchor_date else None


def check_percents(percents):
    """Raise PlanError unless the percents are positive and total exactly 100."""
    values = [to_decimal(p) for p in percents]
    if not values:
        raise PlanError("The contract has no payment terms.")
    if any(v <= 0 for v in values):
        raise PlanError("Every instalment needs a percentage above zero.")
    total = sum(values, Decimal(0))
    if quantize(total, 4) != HUNDRED:
        raise PlanError(f"The instalments total {total}% instead of 100%.")


def split(total, weights, digits=2):
    """Amounts proportional to ``weights`` summing exactly to ``total``; the last takes the rest."""
    total = quantize(total, digits)
    weights = [to_decimal(w) for w in weights]
    weight_sum = sum(weights, Decimal(0))
    if not weights or not weight_sum:
        return [Decimal(0)] * len(weights)
    parts = [quantize(total * w / weight_sum, digits) for w in weights[:-1]]
    return parts + [total - sum(parts, Decimal(0))]


def shares(amount, total_value, shipped_values, digits=2):
    """Shares of an instalment ``amount`` that follow shipments of ``shipped_values``
    out of the contract's ``total_value``: cumulative rounding, so the shares of a fully shipped
    contract total the instalment exactly. Returns (shares, not yet shipped remainder)."""
    amount, total_value = quantize(amount, digits), to_decimal(total_value)
    result, cumulative, previous = [], Decimal(0), Decimal(0)
    for value in shipped_values:
        cumulative += to_decimal(value)
        ratio = min(cumulative / total_value, Decimal(1)) if total_value else Decimal(1)
        reached = quantize(amount * ratio, digits)
        result.append(reached - previous)
        previous = reached
    return result, amount - previous


def generate(total, instalments, events=None, digits=2):
    """Plan lines of a contract of ``total`` from its ``instalments`` and the events so far."""
    events = events or Events()
    check_percents([i.percent for i in instalments])
    amounts = split(total, [i.percent for i in instalments], digits)
    lines = []
    for instalment, amount in zip(instalments, amounts, strict=True):
        event = ANCHOR_BY_KIND.get(instalment.kind)
        if event is None:
            raise PlanError(f"Unknown instalment kind {instalment.kind!r}.")
        base = PlanLine(
            instalment.key,
            instalment.kind,
            to_decimal(instalment.percent),
            amount,
            event,
            events.anchor(event),
            instalment.days,
        )
        if event != "shipment":
            lines.append(base)
            continue
        parts, rest = shares(amount, total, [s.value for s in events.shipments], digits)
        for shipment, part in zip(events.shipments, parts, strict=True):
            if part:
                lines.append(
                    replace(
                        base,
                        amount=part,
                        anchor_date=shipment.date,
                        shipment_key=shipment.key,
                        percent=quantize(base.percent * part / amount, 4) if amount else Decimal(0),
                    )
                )
        if rest or not lines or lines[-1].term_key != instalment.key:
            lines.append(
                replace(base, amount=rest, percent=quantize(base.percent * rest / amount, 4) if amount else Decimal(0))
            )
    return lines


@dataclass
class ExistingLine:
    """A plan line as stored: its key, amount, what was paid and its due date."""

    id: int
    key: tuple
    amount: Decimal
    paid: Decimal = Decimal(0)
    due_date: date | None = None
    anchor_date: date | None = None


@dataclass
class Change:
    """What a recompute does to one stored line (``id``) or a new one (``id`` None).

    ``action`` is 'create', 'update', 'delete' (unpaid, no longer planned) or 'keep' (paid, no
    longer planned: it stays as it is).
    """

    action: str
    id: int | None
    line: PlanLine | None
    amount: Decimal
    old_due_date: date | None = None
    new_due_date: date | None = None
    paid: Decimal = Decimal(0)

    @property
    def due_date_changed(self):
        return self.action == "update" and self.old_due_date != self.new_due_date


def reconcile(existing, targets, digits=2):
    """Changes that turn the stored lines into the ``targets`` without touching paid amounts.

    A line never drops below what was paid on it and a paid line's due date stays; a paid line
    without a target is kept. The excess this causes is taken from the unpaid parts of the other
    lines, latest due first, so the plan still totals the contract.
    """
    by_key = {line.key: line for line in existing}
    changes, seen = [], set()
    for target in targets:
        amount = quantize(target.amount, digits)
        old = by_key.get(target.key)
        if old is None:
            if amount:
                changes.append(Change("create", None, target, amount, None, target.due_date))
            continue
        seen.add(target.key)
        if old.paid >= old.amount and old.paid:
            target.due_date = old.due_date
        changes.append(Change("update", old.id, target, max(amount, old.paid), old.due_date, target.due_date, old.paid))
    for old in existing:
        if old.key not in seen:
            action = "keep" if old.paid else "delete"
            changes.append(Change(action, old.id, None, old.paid, old.due_date, old.due_date, old.paid))
    target_total = sum((quantize(t.amount, digits) for t in targets), Decimal(0))
    excess = sum((c.amount for c in changes), Decimal(0)) - target_total
    for change in sorted((c for c in changes if c.action in ("create", "update")), key=_latest_first):
        if excess <= 0:
            break
        cut = min(excess, change.amount - change.paid)
        change.amount -= cut
        excess -= cut
    if excess > 0:
        raise PlanError(f"Payments exceed the new plan by {excess}.")
    return changes


def _latest_first(change):
    due = change.new_due_date or date.max
    return (-due.toordinal(), -(change.id or 0))
