"""Which contract lines a historical invoice row invoices, and how much of each (MIG: invoices).

An invoice row names its contract and, optionally, the contract line (行号) or the product (物料编码).
The invoice amount is spread over the lines it names in proportion to their contract amounts, so an
invoice of the whole contract invoices every line in full and a partial invoice invoices the same
share of each line. Each invoice line carries the share of its contract line's quantity at the
contract's unit price when that gives the amount to the cent; otherwise the unit price that does,
and as a last resort one unit at the amount (the amount always matches the source).

Pure Python: plain values in, dataclasses out.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


class Unmatched(ValueError):
    """The row names no contract line that exists (or only lines without an amount).

    ``field`` is the value of the row that names nothing, where the person fixing the sheet looks:
    ``sale_line_sequence`` (the contract has no line of that number), ``product_code`` (no line of
    that product, or the numbered line is of another product) or ``invoice_origin`` (the contract
    has no line with an amount)."""

    def __init__(self, message, field):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ContractLine:
    id: int
    sequence: int
    product_code: str
    quantity: Decimal
    price_unit: Decimal
    amount: Decimal  # the line's amount on the contract, taxes included (as the invoice amount)


@dataclass(frozen=True)
class InvoiceLine:
    sale_line_id: int
    quantity: Decimal
    price_unit: Decimal
    amount: Decimal


def matching_lines(lines, sequence=None, product_code=None):
    """The contract lines a row names: the line numbered ``sequence``, the lines of ``product_code``,
    or (neither given) every line; the line number and the product must agree when both are given.

    :raise Unmatched: when no line fits
    """
    found = [line for line in lines if sequence is None or line.sequence == sequence]
    if sequence is not None and not found:
        raise Unmatched(f"no contract line numbered {sequence}", "sale_line_sequence")
    if product_code:
        found = [line for line in found if line.product_code == product_code.upper()]
        if not found:
            raise Unmatched(f"no contract line numbered {sequence} of product {product_code}", "product_code")
    if not found or not sum(line.amount for line in found):
        raise Unmatched("no contract line with an amount", "invoice_origin")
    return found


def split(amount, lines, quantity_step=CENT, price_step=CENT):
    """``InvoiceLine`` per contract line of ``lines`` (non-zero share only) whose amounts add up to
    ``amount``; ``quantity_step``/``price_step``: the precision of quantities and unit prices."""
    amount = Decimal(amount).quantize(CENT, ROUND_HALF_UP)
    total = sum(line.amount for line in lines)
    result, left = [], amount
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        share = left if last else (amount * line.amount / total).quantize(CENT, ROUND_HALF_UP)
        left -= share
        if share:
            result.append(_invoice_line(line, share, quantity_step, price_step))
    return result


def _invoice_line(line, share, quantity_step, price_step):
    quantity = line.quantity
    if share != line.amount:
        quantity = (line.quantity * share / line.amount).quantize(quantity_step, ROUND_HALF_UP)
    if quantity > 0:
        for price in (line.price_unit, (share / quantity).quantize(price_step, ROUND_HALF_UP)):
            if (quantity * price).quantize(CENT, ROUND_HALF_UP) == share:
                return InvoiceLine(line.id, quantity, price, share)
    return InvoiceLine(line.id, Decimal(1), share, share)
