"""Company-currency figures of contracts in other currencies (USD/EUR overseas contracts).

Whatever adds contracts together (credit exposure, partner totals, targets, dashboards) counts each
amount in the company currency at the company rate of the day: amount × rate, rounded to the company
currency. Amounts in one currency are added first and converted once, so a total is one conversion
per currency, not one per contract. The rates themselves come from Odoo (``res.currency``).
"""

from collections.abc import Hashable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal


class MissingRate(ValueError):
    """An amount in a currency without a rate."""


def convert(amount, rate, rounding):
    """``amount`` × ``rate`` rounded (half up) to the company currency's ``rounding`` (e.g. 0.01)."""
    step = Decimal(str(rounding))
    value = Decimal(str(amount)) * Decimal(str(rate))
    return float((value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


def sums_by_currency(rows: Iterable[tuple[Hashable, float]]) -> dict:
    """``{currency: total}`` of ``(currency, amount)`` rows."""
    totals = {}
    for currency, amount in rows:
        totals[currency] = totals.get(currency, 0.0) + (amount or 0.0)
    return totals


def company_total(amounts: Mapping[Hashable, float], rates: Mapping[Hashable, float], rounding):
    """Total in the company currency of ``{currency: amount}``, each currency converted once with
    ``rates[currency]`` (1 unit of the currency = rate units of the company currency)."""
    total = Decimal(0)
    for currency, amount in amounts.items():
        if not amount:
            continue
        if currency not in rates:
            raise MissingRate(f"No rate for {currency}")
        total += Decimal(str(convert(amount, rates[currency], rounding)))
    return float(total)
