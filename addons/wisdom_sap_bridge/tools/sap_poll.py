"""Polling SAP for the documents it changed since the last poll: receipts, goods issues of deliveries and
production orders that SAP did not push (or whose push was lost). One Z wrapper (``ZWisdomChangesGet`` in
the shipped WSDL) answers a page of changes after a timestamp; each row becomes the JSON body SAP would
have pushed, so that a polled document goes through the same reading, idempotency key and booking as a
pushed one (``tools/sap_inbound.py``).

No ``odoo`` import; ``tests/unit/test_sap_poll_tools.py`` runs without a database.

SAP's parameter and field names (camel-case, as the SOAP runtime spells them) are the defaults of
``POLL_NAMES`` (logical name → SAP name); the *Field Map* of the SAP function ``changes_get`` overrides
any of them, so that a wrapper with other names needs no code.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from .inbound import InboundError

POLL_NAMES = {
    # request
    "changed_since": "ChangedSince",  # SAP UTC timestamp YYYYMMDDhhmmss: changes strictly after it
    "max_rows": "MaxRows",
    "document_types": "DocumentTypes",  # "RCPT DLV PROD": what the CRM asks for
    # answer
    "receipts": "Receipts",
    "deliveries": "Deliveries",
    "production_orders": "ProductionOrders",
    "next_changed_since": "NextChangedSince",  # the newest change of the page: the next poll starts there
    "more_data": "MoreData",  # "X": another page follows
    # receipt rows (BSID/BSAD through the wrapper)
    "receipt.document": "DocNo",
    "receipt.company_code": "CompCode",
    "receipt.fiscal_year": "FiscYear",
    "receipt.customer_no": "Customer",
    "receipt.amount": "Amount",
    "receipt.currency": "Currency",
    "receipt.value_date": "ValueDate",
    "receipt.contract": "RefDoc",
    "receipt.text": "ItemText",
    # delivery rows (LIKP/LIPS after goods issue)
    "delivery.document": "Delivery",
    "delivery.order": "SalesOrder",
    "delivery.date": "GoodsIssueDate",
    "delivery.reference": "ExtDelvNo",
    "delivery.lines": "Items",
    "delivery_line.item": "RefItem",
    "delivery_line.material": "Material",
    "delivery_line.quantity": "DlvQty",
    # production order rows (AFKO/AFPO/JEST and the order's planned and actual costs)
    "production.document": "OrderNumber",
    "production.change": "ChangedAt",
    "production.order": "SalesOrder",
    "production.item": "SalesOrderItem",
    "production.contract": "PurchNoC",
    "production.material": "Material",
    "production.status": "SystemStatus",
    "production.planned_qty": "TargetQty",
    "production.actual_qty": "ConfirmedQty",
    "production.planned_start": "BasicStart",
    "production.planned_end": "BasicFinish",
    "production.actual_end": "ActualFinish",
    "production.currency": "Currency",
    "production.planned_cost": "PlannedCost",
    "production.actual_cost": "ActualCost",
}
TABLES = {"receipt": "receipts", "delivery": "deliveries", "production": "production_orders"}
DOCUMENT_TYPES = {"receipt": "RCPT", "delivery": "DLV", "production": "PROD"}
TIMESTAMP = re.compile(r"^\d{14}$")
DEFAULT_PAGE_SIZE = 200


@dataclass(frozen=True)
class Page:
    documents: tuple  # (operation, JSON body as pushed) in SAP's order
    next_since: str  # "" when SAP returned none: the watermark stays
    more: bool


def names_from(field_map):
    """``POLL_NAMES`` overridden by the poll keys of the SAP function's field map (others are ignored)."""
    return {**POLL_NAMES, **{key: value for key, value in (field_map or {}).items() if key in POLL_NAMES}}


def timestamp(moment):
    """A naive UTC ``datetime`` as SAP's TIMESTAMP (``YYYYMMDDhhmmss``)."""
    return moment.strftime("%Y%m%d%H%M%S")


def check_watermark(value):
    """``value`` when it is an SAP timestamp or empty (from the start); ``InboundError`` otherwise."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        datetime.strptime(value, "%Y%m%d%H%M%S")
    except ValueError:
        value = ""
    if not value or not TIMESTAMP.match(value):
        raise InboundError("The watermark is not an SAP timestamp YYYYMMDDhhmmss.")
    return value


def build_request(since, page_size, names=None, operations=tuple(TABLES)):
    """Keyword arguments of the changes wrapper: the page after ``since`` (SAP timestamp, "" = from the
    start)."""
    names = names or POLL_NAMES
    return {
        names["changed_since"]: since or "0",
        names["max_rows"]: int(page_size or DEFAULT_PAGE_SIZE),
        names["document_types"]: " ".join(DOCUMENT_TYPES[operation] for operation in operations),
    }


def read_page(reply, names, push_keys):
    """The documents of a serialized reply as the JSON bodies SAP pushes (``push_keys``: the SAP endpoint's
    configuration of ``tools.sap_inbound``, so that the booking reads them with the same keys)."""
    documents = []
    for operation, table in TABLES.items():
        for row in _rows(reply.get(names[table])):
            documents.append((operation, _body(operation, row, names, push_keys)))
    next_since = str(reply.get(names["next_changed_since"]) or "").strip()
    if next_since in ("0", "00000000000000"):
        next_since = ""
    if next_since and not TIMESTAMP.match(next_since):
        raise InboundError(f"SAP's {names['next_changed_since']} {next_since!r} is not a timestamp YYYYMMDDhhmmss.")
    more = str(reply.get(names["more_data"]) or "").strip().upper() in ("X", "TRUE", "1")
    return Page(documents=tuple(documents), next_since=next_since, more=more)


def _body(operation, row, names, push_keys):
    body = {}
    for logical, key in push_keys[operation].items():
        sap_name = names.get(f"{operation}.{logical}")
        if sap_name is None or row.get(sap_name) in (None, ""):
            continue
        body[key] = _plain(row[sap_name])
    if operation == "delivery":
        lines_key = push_keys["delivery"]["lines"]
        body[lines_key] = [
            {
                key: _plain(line[names[f"delivery_line.{logical}"]])
                for logical, key in push_keys["delivery_line"].items()
                if line.get(names.get(f"delivery_line.{logical}", "")) not in (None, "")
            }
            for line in _rows(row.get(names["delivery.lines"]))
        ]
    return body


def _rows(table):
    """The rows of an SAP table as zeep serializes it (``{"item": [...]}``, a list or a single row)."""
    if not table:
        return []
    if isinstance(table, dict):
        table = table.get("item", table) if "item" in table else [table]
    if isinstance(table, dict):
        table = [table]
    return [row for row in table if isinstance(row, dict)]


def _plain(value):
    """zeep's Decimal, date and int values as JSON-safe text (the booking reads them like a pushed body)."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return value
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)
