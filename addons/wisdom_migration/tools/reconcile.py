"""Field-level reconciliation of a migration run (MIG-02): pure comparison and arithmetic.

The loader reads every loaded field back from the database; this module compares each value with
the cleaned source value, counts per sheet and field, sums money per customer and per contract on
both sides, and decides whether the run passes: accuracy at least 99.9 % and no money difference.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from .messages import Problem

THRESHOLD = Decimal("99.9")
CENT = Decimal("0.01")
MAX_MISMATCHES_LISTED = 1000


def to_money(value):
    if value in (None, False):
        return Decimal(0)
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def equal(source, stored, kind):
    """Whether the stored value is the cleaned source value (``kind``: char, money, number, date,
    many2one (ids), selection, boolean)."""
    if source in (None, "") and stored in (None, False, ""):
        return True
    if kind == "money":
        return to_money(source) == to_money(stored)
    if kind == "number":
        return stored not in (None, False) and abs(Decimal(str(source)) - Decimal(str(stored))) < Decimal("0.0005")
    if kind == "date":
        stored = stored.date() if isinstance(stored, datetime) else stored
        return isinstance(stored, date) and source == stored
    if kind == "boolean":
        return bool(source) == bool(stored)
    return str(source) == str(stored if stored not in (None, False) else "")


@dataclass
class FieldTally:
    sheet: str
    field: str
    compared: int = 0
    equal: int = 0

    @property
    def accuracy(self):
        return percent(self.equal, self.compared)


@dataclass
class SheetTally:
    sheet: str
    source_rows: int = 0
    blank_rows: int = 0
    loaded: int = 0
    rejected: int = 0
    merged: int = 0
    flagged: int = 0
    created: int = 0
    updated: int = 0


@dataclass
class Reconciliation:
    fields: dict = field(default_factory=dict)  # (sheet, field) → FieldTally
    mismatches: list = field(default_factory=list)  # (sheet, key, field, source, stored)
    money: dict = field(default_factory=lambda: defaultdict(lambda: [Decimal(0), Decimal(0)]))

    def compare(self, sheet, key, field_name, source, stored, kind):
        tally = self.fields.setdefault((sheet, field_name), FieldTally(sheet, field_name))
        tally.compared += 1
        if equal(source, stored, kind):
            tally.equal += 1
        elif len(self.mismatches) < MAX_MISMATCHES_LISTED:
            self.mismatches.append((sheet, key, field_name, source, stored))

    def add_money(self, level, group, measure, source, stored):
        """Money of one loaded row on both sides: ``level`` customer or contract, ``measure`` the
        money field (contract amount, planned, collected, invoiced)."""
        sums = self.money[(level, group, measure)]
        sums[0] += to_money(source)
        sums[1] += to_money(stored)

    # RESULTS

    @property
    def compared(self):
        return sum(t.compared for t in self.fields.values())

    @property
    def equal_count(self):
        return sum(t.equal for t in self.fields.values())

    @property
    def accuracy(self):
        return percent(self.equal_count, self.compared)

    def money_rows(self, level=None):
        """``(level, group, measure, source, stored, difference)`` sorted by level, group, measure."""
        rows = []
        for (row_level, group, measure), (source, stored) in sorted(
            self.money.items(), key=lambda i: tuple(str(part) for part in i[0])
        ):
            if level is None or row_level == level:
                rows.append((row_level, group, measure, source, stored, stored - source))
        return rows

    @property
    def money_difference_count(self):
        return sum(1 for source, stored in self.money.values() if source != stored)

    def failure_problems(self, threshold=THRESHOLD):
        """Why the run fails, as ``messages.Problem`` (code and parameters); empty when it passes."""
        problems = []
        if self.compared and self.accuracy < threshold:
            problems.append(Problem("accuracy_below", {"accuracy": str(self.accuracy), "threshold": str(threshold)}))
        if count := self.money_difference_count:
            problems.append(Problem("money_differs", {"count": str(count)}))
        return problems

    def failures(self, threshold=THRESHOLD):
        """Reasons (English) the run fails; empty when it passes."""
        return [problem.message for problem in self.failure_problems(threshold)]


def percent(part, whole):
    if not whole:
        return Decimal(100)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.001"), ROUND_HALF_UP)
