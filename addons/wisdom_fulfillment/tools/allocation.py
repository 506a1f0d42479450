"""Collection allocation (回款分配): spread a payment over plan lines, oldest due first.

Neither the payment nor a line's residual is ever exceeded.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .plan import quantize, to_decimal


class AllocationError(ValueError):
    """An allocation would exceed the payment or a line's residual."""


@dataclass(frozen=True)
class OpenLine:
    id: int
    due_date: date | None
    residual: Decimal
    sequence: int = 0


def suggest(amount, lines, digits=2, first=()):
    """``[(line id, amount)]``: FIFO by due date (lines without one last), then sequence and id.

    The lines whose ids are in ``first`` (e.g. the instalments of the contract a receipt names) are
    paid before the others, FIFO among themselves."""
    left = quantize(amount, digits)
    first = set(first)
    result = []
    for line in sorted(lines, key=lambda ln: (ln.id not in first, ln.due_date or date.max, ln.sequence, ln.id)):
        if left <= 0:
            break
        part = min(left, quantize(line.residual, digits))
        if part > 0:
            result.append((line.id, part))
            left -= part
    return result


def check(payment_amount, already_allocated, allocations, residuals, digits=2):
    """Raise AllocationError when ``allocations`` ``[(line id, amount)]`` on top of what the
    payment already allocated exceed the payment, or exceed a line's residual ``{line id: amount}``."""
    total = quantize(to_decimal(already_allocated), digits)
    per_line = {}
    for line_id, amount in allocations:
        amount = quantize(amount, digits)
        if amount <= 0:
            raise AllocationError("An allocated amount must be greater than zero.")
        per_line[line_id] = per_line.get(line_id, Decimal(0)) + amount
        total += amount
    unallocated = quantize(payment_amount, digits) - total
    if unallocated < 0:
        raise AllocationError(f"The allocations exceed the payment by {-unallocated}.")
    for line_id, amount in per_line.items():
        residual = quantize(residuals.get(line_id, 0), digits)
        if amount > residual:
            raise AllocationError(f"Line {line_id}: {amount} allocated but only {residual} is open.")
    return unallocated
