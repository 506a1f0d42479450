"""MES production orders over REST JSON (ISA-95's ProductionSchedule ERP → MES and
ProductionPerformance MES → ERP): the planned order sent for a signed contract, and the progress MES
reports back (planned vs reported quantity and dates per contract line).

No ``odoo`` import; ``tests/unit/test_mes_tools.py`` runs without a database. Everything MES-specific is
in ``DEFAULT_CONFIG``, overridden per installation by the JSON of the MES endpoint's *REST Mapping*.
"""

from dataclasses import dataclass
from datetime import date, datetime

from . import rest_json

DEFAULT_CONFIG = {
    "order_path": "/api/production-orders",  # POST: a planned order for a contract
    # GET ?<progress_since_param>=<watermark>: the progress reports changed since the last poll (the CRM
    # polls them when the MES endpoint has a poll interval; MES may push them as well)
    "progress_path": "/api/production-progress",
    "progress_since_param": "changedSince",
    "progress_items": "items",  # the reports in the answer, each shaped as a pushed report
    "progress_next": "nextChangedSince",  # MES's watermark after this page (opaque to the CRM)
    "progress_more": "hasMore",  # true: another page follows
    "auth_header": "Authorization",
    "auth_scheme": "Bearer",
    # logical name → JSON key of the order and of the progress report
    "fields": {
        "reference": "externalRef",  # the CRM's idempotency key (one per contract)
        "contract": "contractNo",
        "customer": "customer",
        "due_date": "dueDate",
        "lines": "lines",
        "order_id": "orderId",
        "status": "status",
        "message": "message",
    },
    "line_fields": {
        "line_ref": "lineRef",  # the CRM's contract line ("SOL<id>")
        "material": "material",
        "name": "description",
        "quantity": "plannedQty",
        "due_date": "dueDate",
        "planned_qty": "plannedQty",
        "reported_qty": "reportedQty",
        "planned_start": "plannedStart",
        "planned_end": "plannedEnd",
        "reported_at": "reportedAt",
    },
    # MES status → planned, released, in_progress, done, cancelled
    "status_map": {
        "PLANNED": "planned",
        "CREATED": "planned",
        "RELEASED": "released",
        "IN_PROGRESS": "in_progress",
        "STARTED": "in_progress",
        "DONE": "done",
        "COMPLETED": "done",
        "CANCELLED": "cancelled",
    },
}
STATUSES = ("planned", "released", "in_progress", "done", "cancelled")
LINE_PREFIX = "SOL"


class MesError(ValueError):
    """MES's answer or report cannot be read (a configuration or protocol mismatch)."""


@dataclass(frozen=True)
class OrderLine:
    line_ref: str
    material: str
    name: str
    quantity: float
    due_date: str = ""


@dataclass(frozen=True)
class ProductionOrder:
    reference: str
    contract: str
    customer: str
    due_date: str
    lines: tuple[OrderLine, ...]


@dataclass(frozen=True)
class LineProgress:
    line_ref: str
    planned_qty: float | None = None
    reported_qty: float | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    reported_at: date | None = None


@dataclass(frozen=True)
class Progress:
    order_id: str
    reference: str = ""
    status: str = ""
    message: str = ""
    lines: tuple[LineProgress, ...] = ()


# CONFIGURATION


def load_config(text):
    """:raise MesError: the mapping cannot be read or maps to an unknown status"""
    try:
        config = rest_json.merge_config(DEFAULT_CONFIG, text, ("fields", "line_fields", "status_map"))
    except ValueError as error:
        raise MesError(str(error)) from error
    bad = sorted({v for v in config["status_map"].values() if v not in STATUSES})
    if bad:
        raise MesError(f"Unknown statuses in 'status_map': {', '.join(bad)} (use {', '.join(STATUSES)}).")
    return config


def line_ref(line_id):
    return f"{LINE_PREFIX}{line_id}"


def line_id(ref):
    """The contract line id of a ``lineRef``, or None."""
    ref = str(ref or "")
    return int(ref[len(LINE_PREFIX) :]) if ref.startswith(LINE_PREFIX) and ref[len(LINE_PREFIX) :].isdigit() else None


# BUILDING


def build_order(order, config):
    names, line_names = config["fields"], config["line_fields"]
    body = {
        names["reference"]: order.reference,
        names["contract"]: order.contract,
        names["customer"]: order.customer,
        names["due_date"]: order.due_date,
    }
    body[names["lines"]] = [
        {
            line_names["line_ref"]: line.line_ref,
            line_names["material"]: line.material,
            line_names["name"]: line.name,
            line_names["quantity"]: line.quantity,
            line_names["due_date"]: line.due_date or order.due_date,
        }
        for line in order.lines
    ]
    return body


# READING


@dataclass(frozen=True)
class ProgressPage:
    reports: tuple  # the bodies of the reports, as MES would push them
    next_since: str  # "" when MES returned none: the watermark stays
    more: bool


def read_progress_page(body, config):
    """A page of MES's progress poll.

    :raise MesError: not an object, or its items are not a list of objects
    """
    if not isinstance(body, dict):
        raise MesError("MES's answer to the progress poll is not a JSON object.")
    items = body.get(config["progress_items"]) or []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise MesError(f"'{config['progress_items']}' must be a list of objects.")
    more = body.get(config["progress_more"])
    return ProgressPage(
        reports=tuple(items),
        next_since=str(body.get(config["progress_next"]) or "").strip(),
        more=more is True or str(more).lower() in ("true", "1", "x"),
    )


def _number(value, key):
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise MesError(f"'{key}' must be a number.") from error


def _date(value, key):
    if value in (None, ""):
        return None
    text = str(value).strip()
    for form, size in (("%Y-%m-%dT%H:%M:%S", 19), ("%Y-%m-%d %H:%M:%S", 19), ("%Y-%m-%d", 10), ("%Y%m%d", 8)):
        try:
            return datetime.strptime(text[:size], form).date()
        except ValueError:
            continue
    raise MesError(f"'{key}' must be a date.")


def parse_progress(body, config):
    """An order's answer or progress report as ``Progress``.

    :raise MesError: not an object, no order id, unknown status, malformed line
    """
    if not isinstance(body, dict):
        raise MesError("MES's body is not a JSON object.")
    names, line_names = config["fields"], config["line_fields"]
    order_id = str(body.get(names["order_id"]) or "").strip()
    if not order_id:
        raise MesError(f"MES's body has no '{names['order_id']}'.")
    raw = str(body.get(names["status"]) or "").strip()
    status = ""
    if raw:
        status = config["status_map"].get(raw) or config["status_map"].get(raw.upper()) or ""
        if not status:
            raise MesError(f"Unknown MES status '{raw}': add it to the status map of the REST mapping.")
    lines = body.get(names["lines"]) or []
    if not isinstance(lines, list) or not all(isinstance(item, dict) for item in lines):
        raise MesError(f"'{names['lines']}' must be a list of objects.")
    return Progress(
        order_id=order_id,
        reference=str(body.get(names["reference"]) or "").strip(),
        status=status,
        message=str(body.get(names["message"]) or "").strip(),
        lines=tuple(
            LineProgress(
                line_ref=str(item.get(line_names["line_ref"]) or "").strip(),
                planned_qty=_number(item.get(line_names["planned_qty"]), line_names["planned_qty"]),
                reported_qty=_number(item.get(line_names["reported_qty"]), line_names["reported_qty"]),
                planned_start=_date(item.get(line_names["planned_start"]), line_names["planned_start"]),
                planned_end=_date(item.get(line_names["planned_end"]), line_names["planned_end"]),
                reported_at=_date(item.get(line_names["reported_at"]), line_names["reported_at"]),
            )
            for item in lines
        ),
    )
