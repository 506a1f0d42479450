"""What a contract line really costs once SAP produces it, and the contract's real margin.

The contract's margin (``sale_margin``'s ``margin``, ``margin_company`` of ``wisdom_contract``) comes from
each line's estimated cost (``purchase_price``) and stays what the review judged. The real margin replaces,
line by line, that estimate with SAP's production cost: the actual cost once the line's production orders
are finished, SAP's planned cost (or the actual cost so far, when higher) while they are running.

No ``odoo`` import; ``tests/unit/test_sap_costing_tools.py`` runs without a database.
"""

from dataclasses import dataclass

FINISHED_STATUSES = ("confirmed", "delivered", "closed")


@dataclass(frozen=True)
class LineCost:
    estimated: float  # the contract line's estimated cost, company currency
    planned: float = 0.0  # SAP's planned cost of its production orders
    actual: float = 0.0  # SAP's actual cost so far
    orders: int = 0  # production orders of the line (cancelled ones left out)
    finished: bool = False  # all of them confirmed, delivered or closed


def finished(statuses):
    """Whether production orders with these statuses are all finished (none: not finished)."""
    statuses = [status for status in statuses if status != "cancelled"]
    return bool(statuses) and all(status in FINISHED_STATUSES for status in statuses)


def line_cost(line):
    """The cost the real margin counts for one line."""
    if not line.orders:
        return line.estimated
    if line.finished:
        return line.actual
    return max(line.planned, line.actual)


def real_margin(margin, lines):
    """The contract's ``margin`` (company currency) with each line's estimate replaced by ``line_cost``."""
    return margin + sum(line.estimated - line_cost(line) for line in lines)
