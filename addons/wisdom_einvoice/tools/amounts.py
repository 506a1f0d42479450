"""Amounts of a 数电发票 (fully digitalised e-invoice): the one definition of line and total figures.

The tax bureau and the providers (Nuonuo E9130/E9131) accept a line only when

- tax-excluded amount + tax = tax-included amount, every figure in fen (0.01 CNY), and
- |tax-excluded amount × rate − tax| ≤ 0.06.

Lines are priced either tax-included (含税单价, what Chinese contracts usually state) or tax-excluded.
Amounts are rounded once, in fen, half up. Within one rate, the tax-excluded amounts (tax-included
prices) or the taxes (tax-excluded prices) are spread over the lines by largest remainder so that the
invoice's totals equal the totals worked out on the sum (the rounding of many lines balances instead
of drifting), while each line stays within one fen of its exact figure.

No ``odoo`` import: plain values in, frozen dataclasses out, ``AmountError`` on bad input.
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
LINE_TAX_TOLERANCE = Decimal("0.06")
PRICE_DIGITS = Decimal("0.00000001")  # unit prices: up to 8 decimals, as the providers accept
VALID_RATES = (
    Decimal("0.13"),
    Decimal("0.09"),
    Decimal("0.06"),
    Decimal("0.05"),
    Decimal("0.03"),
    Decimal("0.01"),
    Decimal("0"),
)


class AmountError(ValueError):
    """Input that cannot make an invoice line (negative price, unknown rate…)."""


def to_decimal(value):
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value if value is not None else 0))


def fen(value):
    """Round half up to fen."""
    return to_decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def plain(value):
    """Decimal as text without exponent or trailing zeros: 6.0 → "6", 113.50000000 → "113.5"."""
    text = f"{to_decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class LineInput:
    quantity: Decimal | float
    unit_price: Decimal | float
    tax_rate: Decimal | float  # 0.13 for 13 %
    price_includes_tax: bool = True


@dataclass(frozen=True)
class LineAmounts:
    quantity: Decimal
    tax_rate: Decimal
    price_excl: Decimal  # tax-excluded unit price (8 decimals)
    price_incl: Decimal  # tax-included unit price (8 decimals)
    amount_excl: Decimal
    tax: Decimal
    amount_incl: Decimal

    @property
    def tax_deviation(self):
        """|excl × rate − tax|, what the providers check against 0.06."""
        return abs(self.amount_excl * self.tax_rate - self.tax)


@dataclass(frozen=True)
class InvoiceAmounts:
    lines: tuple
    amount_excl: Decimal
    tax: Decimal
    amount_incl: Decimal

    def by_rate(self):
        """{rate: (excl, tax, incl)}"""
        groups = {}
        for line in self.lines:
            excl, tax, incl = groups.get(line.tax_rate, (Decimal(0), Decimal(0), Decimal(0)))
            groups[line.tax_rate] = (excl + line.amount_excl, tax + line.tax, incl + line.amount_incl)
        return groups


def check_rate(rate):
    rate = to_decimal(rate)
    if rate not in VALID_RATES:
        raise AmountError(f"tax rate {rate} is not a rate of 数电发票 ({', '.join(str(r) for r in VALID_RATES)})")
    return rate


def _check_line(line):
    quantity, price = to_decimal(line.quantity), to_decimal(line.unit_price)
    if quantity < 0 or price < 0:
        raise AmountError("quantities and unit prices cannot be negative (a red invoice negates the result)")
    return quantity, price, check_rate(line.tax_rate)


def _unit_prices(quantity, amount_excl, amount_incl):
    if not quantity:
        return Decimal(0), Decimal(0)
    return (amount_excl / quantity).quantize(PRICE_DIGITS, rounding=ROUND_HALF_UP), (amount_incl / quantity).quantize(
        PRICE_DIGITS, rounding=ROUND_HALF_UP
    )


def compute_line(line):
    """Figures of one line on its own (fen, half up)."""
    quantity, price, rate = _check_line(line)
    if line.price_includes_tax:
        incl = fen(quantity * price)
        excl = fen(incl / (1 + rate))
        tax = incl - excl
    else:
        excl = fen(quantity * price)
        tax = fen(excl * rate)
        incl = excl + tax
    price_excl, price_incl = _unit_prices(quantity, excl, incl)
    return LineAmounts(quantity, rate, price_excl, price_incl, excl, tax, incl)


def _spread(exacts, total):
    """Fen amounts, each the floor or ceiling of its exact value, summing to ``total`` (largest
    remainder; ties to the earlier line)."""
    floors = [value.quantize(FEN, rounding=ROUND_FLOOR) for value in exacts]
    missing = int((total - sum(floors, Decimal(0))) / FEN)
    order = sorted(range(len(exacts)), key=lambda i: (-(exacts[i] - floors[i]), i))
    result = list(floors)
    for i in order[: max(missing, 0)]:
        result[i] += FEN
    return result


def compute_invoice(lines):
    """Figures of an invoice: per rate, the total tax (tax-excluded prices) or the total
    tax-excluded amount (tax-included prices) is rounded once and spread over the lines, so that
    excl + tax = incl holds per line and in total, and the total tax matches the total amount."""
    lines = list(lines)
    singles = [compute_line(line) for line in lines]
    result = list(singles)
    groups = {}
    for index, (line, single) in enumerate(zip(lines, singles, strict=True)):
        groups.setdefault((single.tax_rate, bool(line.price_includes_tax)), []).append(index)
    for (rate, includes_tax), indexes in groups.items():
        if includes_tax:
            incls = [singles[i].amount_incl for i in indexes]
            exacts = [incl / (1 + rate) for incl in incls]
            excls = _spread(exacts, fen(sum(incls, Decimal(0)) / (1 + rate)))
            for i, incl, excl in zip(indexes, incls, excls, strict=True):
                result[i] = _rebuild(singles[i], excl, incl - excl, incl)
        else:
            excls = [singles[i].amount_excl for i in indexes]
            taxes = _spread([excl * rate for excl in excls], fen(sum(excls, Decimal(0)) * rate))
            for i, excl, tax in zip(indexes, excls, taxes, strict=True):
                result[i] = _rebuild(singles[i], excl, tax, excl + tax)
    return InvoiceAmounts(
        lines=tuple(result),
        amount_excl=sum((line.amount_excl for line in result), Decimal(0)),
        tax=sum((line.tax for line in result), Decimal(0)),
        amount_incl=sum((line.amount_incl for line in result), Decimal(0)),
    )


def _rebuild(single, excl, tax, incl):
    price_excl, price_incl = _unit_prices(single.quantity, excl, incl)
    return LineAmounts(single.quantity, single.tax_rate, price_excl, price_incl, excl, tax, incl)


def line_problems(amounts):
    """What a provider would refuse in these figures (empty when they are consistent)."""
    problems = []
    if amounts.amount_excl + amounts.tax != amounts.amount_incl:
        problems.append("excl + tax != incl")
    if amounts.tax_deviation > LINE_TAX_TOLERANCE:
        problems.append("|excl × rate − tax| > 0.06")
    for value in (amounts.amount_excl, amounts.tax, amounts.amount_incl):
        if value != value.quantize(FEN):
            problems.append("not in fen")
            break
    return problems
