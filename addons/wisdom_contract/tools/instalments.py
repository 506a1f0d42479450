"""Contract instalments (payment terms): the percents must total 100 %.

Pure Python; used by ``sale.order`` when a contract is submitted for review or confirmed.
"""

TOLERANCE = 0.005


class InstalmentError(ValueError):
    """The instalments of a contract are not a valid payment plan."""


def total_percent(instalments):
    """Sum of the percents of ``instalments`` (iterable of (kind, percent, days))."""
    return round(sum(percent for _kind, percent, _days in instalments), 4)


def validate(instalments):
    """Raise InstalmentError with a reason when ``instalments`` are not a valid plan.

    Each instalment is ``(kind, percent, days)``. Rules: at least one instalment, every percent
    above 0 and at most 100, days not negative, percents totalling 100 %.
    """
    instalments = list(instalments)
    if not instalments:
        raise InstalmentError("no_instalments")
    for _kind, percent, days in instalments:
        if percent <= 0 or percent > 100:
            raise InstalmentError("percent_out_of_range")
        if days < 0:
            raise InstalmentError("negative_days")
    if abs(total_percent(instalments) - 100.0) > TOLERANCE:
        raise InstalmentError("total_not_100")
    return True


def percent_of(instalments, kind):
    """Total percent of the instalments of one kind (e.g. the prepayment share)."""
    return round(sum(percent for k, percent, _days in instalments if k == kind), 4)
