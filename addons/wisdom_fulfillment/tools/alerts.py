"""Collection alerts (逾期预警 / 质保金预警): which alert a plan line is due for today.

Overdue alerts escalate at fixed levels (default 1, 30 and 90 days past due: rep, manager,
director). A line gets each level once; when a run was missed, only the highest reached level is
sent and the lower ones count as sent.
"""

from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_LEVELS = (1, 30, 90)


@dataclass(frozen=True)
class AlertLine:
    id: int
    kind: str  # instalment kind; 'retention' gets the retention alert instead of the upcoming one
    due_date: date | None
    residual: float
    level_sent: int = 0  # highest overdue level already sent (days), 0: none
    upcoming_sent: bool = False


@dataclass(frozen=True)
class Alert:
    line_id: int
    alert: str  # 'upcoming', 'retention' or 'overdue'
    level: int = 0  # overdue: the level reached (days)
    escalation: int = 0  # overdue: 0 rep, 1 manager, 2 director


def overdue_days(due_date, today):
    return max((today - due_date).days, 0) if due_date else 0


def overdue_level(due_date, today, levels=DEFAULT_LEVELS):
    """Highest level (days) reached by a line due on ``due_date``, 0 when none."""
    days = overdue_days(due_date, today)
    return max((level for level in levels if days >= level), default=0)


def line_state(due_date, today, residual, paid):
    """'planned', 'due', 'overdue', 'partial' or 'paid' of a line (disposal is handled by the caller)."""
    if residual <= 0:
        return "paid"
    if due_date and due_date < today:
        return "overdue"
    if paid > 0:
        return "partial"
    if due_date and due_date == today:
        return "due"
    return "planned"


def alert_for(line, today, levels=DEFAULT_LEVELS, upcoming_days=7, retention_days=30):
    """The one alert ``line`` needs today, or None."""
    if line.residual <= 0 or not line.due_date:
        return None
    level = overdue_level(line.due_date, today, levels)
    if level:
        if level <= line.level_sent:
            return None
        return Alert(line.id, "overdue", level, sorted(levels).index(level))
    if line.upcoming_sent:
        return None
    window = retention_days if line.kind == "retention" else upcoming_days
    if today <= line.due_date <= today + timedelta(days=window):
        return Alert(line.id, "retention" if line.kind == "retention" else "upcoming")
    return None


def alerts_for(lines, today, levels=DEFAULT_LEVELS, upcoming_days=7, retention_days=30):
    """Alerts needed today for many lines (those needing none are left out)."""
    result = []
    for line in lines:
        alert = alert_for(line, today, levels, upcoming_days, retention_days)
        if alert:
            result.append(alert)
    return result
