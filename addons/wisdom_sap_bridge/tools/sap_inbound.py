"""What SAP pushes to the CRM: receipts (回款), goods issues of deliveries (发货) and production orders
with their costs (生产订单) as plain JSON bodies (read by ``tools/inbound.py``, like PLM's and MES's
pushes) and SAP's number formats. The SAP poll (``tools/sap_poll.py``) turns the rows it reads into the
same bodies.

No ``odoo`` import: the controller and the models call these with the request's bytes and dicts;
``tests/unit/test_sap_inbound_tools.py`` runs without a database.

The default JSON keys are ``RECEIPT_KEYS``, ``DELIVERY_KEYS``, ``DELIVERY_LINE_KEYS`` and
``PRODUCTION_KEYS`` (logical name → key in the body), SAP's production order statuses
``PRODUCTION_STATUS_MAP``. An installation whose SAP PI/PO mapping sends other names or statuses writes
them into the SAP endpoint's *REST Mapping* (``load_config``) and needs no code.
"""

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .inbound import InboundError

RECEIPT_KEYS = {
    "document": "document_no",  # SAP accounting document (BELNR): numbered per company code and fiscal year,
    "company_code": "company_code",  # optional (BUKRS) ...
    "fiscal_year": "fiscal_year",  # optional (GJAHR; default: the value date's year): booked once per the three
    "customer_no": "customer_no",  # SAP customer (KUNNR) ...
    "customer_id": "crm_customer_id",  # ... or the CRM customer's id
    "amount": "amount",
    "currency": "currency",  # ISO code (WAERS)
    "value_date": "value_date",  # YYYY-MM-DD or SAP's YYYYMMDD
    "contract": "contract_ref",  # optional: SAP sales order (VBELN) or CRM contract number / reference
    "text": "text",  # optional: SAP's item text, kept as the payment's memo
}
DELIVERY_KEYS = {
    "document": "delivery_no",  # SAP outbound delivery (VBELN): recorded once per number
    "order": "sales_order_no",  # the contract's SAP sales order
    "date": "goods_issue_date",
    "lines": "items",
    "reference": "crm_reference",  # optional: the external delivery number (LIKP-LIFEX) = the CRM shipment request
}
DELIVERY_LINE_KEYS = {
    "material": "material",  # the product's internal reference (default_code)
    "item": "order_item",  # optional: the SAP order item (POSNR, e.g. "000010"); preferred over the material
    "quantity": "quantity",
}
PRODUCTION_KEYS = {
    "document": "production_order_no",  # SAP production order (AUFNR)
    "change": "change_counter",  # a number that grows with every change (a counter or SAP's UTC timestamp)
    "order": "sales_order_no",  # the contract's SAP sales order (KDAUF) ...
    "item": "sales_order_item",  # ... and its item (KDPOS, e.g. "000010")
    "contract": "contract_ref",  # or the CRM contract number (PURCH_NO_C of the sales order)
    "material": "material",  # the product's internal reference: finds the line without an item number
    "status": "status",  # SAP system status (CRTD, REL, PCNF, CNF, DLV, TECO, CLSD)
    "planned_qty": "planned_qty",  # GAMNG
    "actual_qty": "actual_qty",  # confirmed yield / delivered quantity (WEMNG)
    "planned_start": "planned_start",  # GSTRP
    "planned_end": "planned_end",  # GLTRP
    "actual_end": "actual_end",  # GETRI, optional
    "currency": "currency",  # the cost's currency (usually the company's)
    "planned_cost": "planned_cost",
    "actual_cost": "actual_cost",
}
PRODUCTION_STATUSES = ("created", "released", "partly_confirmed", "confirmed", "delivered", "closed", "cancelled")
PRODUCTION_STATUS_MAP = {
    "CRTD": "created",
    "REL": "released",
    "PCNF": "partly_confirmed",
    "CNF": "confirmed",
    "PDLV": "confirmed",
    "DLV": "delivered",
    "TECO": "closed",
    "CLSD": "closed",
    "DLT": "cancelled",
    "DLFL": "cancelled",
}
# the SAP endpoint's REST Mapping: document → its keys; "production_status_map": SAP status → CRM status
CONFIG_KEYS = {
    "receipt": RECEIPT_KEYS,
    "delivery": DELIVERY_KEYS,
    "delivery_line": DELIVERY_LINE_KEYS,
    "production": PRODUCTION_KEYS,
    "production_status_map": PRODUCTION_STATUS_MAP,
}
DOCUMENT_MAX = 40
SAP_NUMBER_LENGTH = 10  # KUNNR, VBELN: numeric numbers are stored zero-padded to ten digits


@dataclass(frozen=True)
class Receipt:
    document: str
    customer_no: str
    customer_id: int
    amount: Decimal
    currency: str
    value_date: date
    contract: str = ""
    text: str = ""
    company_code: str = ""
    fiscal_year: int = 0

    @property
    def key(self):
        """What names the document in SAP: BELNR repeats in every company code and fiscal year."""
        year = self.fiscal_year or self.value_date.year
        return "/".join(filter(None, [self.company_code, str(year), self.document]))


@dataclass(frozen=True)
class DeliveryLine:
    material: str
    quantity: Decimal
    item: str = ""


@dataclass(frozen=True)
class Delivery:
    document: str
    order: str
    date: date
    lines: tuple[DeliveryLine, ...]
    reference: str = ""

    @property
    def key(self):
        """A delivery number (VBELN) is unique in the SAP client, whatever the year."""
        return self.document


@dataclass(frozen=True)
class ProductionOrder:
    document: str
    change: int
    order: str = ""
    item: str = ""
    contract: str = ""
    material: str = ""
    status: str = ""
    planned_qty: Decimal | None = None
    actual_qty: Decimal | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    actual_end: date | None = None
    currency: str = ""
    planned_cost: Decimal | None = None
    actual_cost: Decimal | None = None

    @property
    def key(self):
        """One message per production order and change: the same change pushed and polled is booked once,
        a later change is another document."""
        return f"{self.document}:{self.change}"


# CONFIGURATION


def load_config(text):
    """The SAP endpoint's *REST Mapping* merged over the defaults, each document's keys and the status map
    key by key: ``{"receipt": {...}, "delivery": {...}, "delivery_line": {...}, "production": {...},
    "production_status_map": {...}}``.

    :raise InboundError: not a JSON object of objects, unknown document or logical key, unknown status
    """
    try:
        overrides = json.loads(text) if (text or "").strip() else {}
    except ValueError as error:
        raise InboundError(f"The REST mapping is not valid JSON: {error}") from error
    if not isinstance(overrides, dict):
        raise InboundError("The REST mapping must be a JSON object.")
    unknown = sorted(set(overrides) - set(CONFIG_KEYS))
    if unknown:
        raise InboundError(f"Unknown entries in the REST mapping: {', '.join(unknown)} (use {', '.join(CONFIG_KEYS)}).")
    config = {}
    for name, defaults in CONFIG_KEYS.items():
        extra = overrides.get(name) or {}
        if not isinstance(extra, dict) or not all(isinstance(v, str) and v for v in extra.values()):
            raise InboundError(f"'{name}' of the REST mapping must be an object of texts.")
        if name != "production_status_map" and set(extra) - set(defaults):
            raise InboundError(f"Unknown keys of '{name}': {', '.join(sorted(set(extra) - set(defaults)))}.")
        config[name] = {**defaults, **extra}
    bad = sorted({v for v in config["production_status_map"].values() if v not in PRODUCTION_STATUSES})
    if bad:
        raise InboundError(
            f"Unknown statuses in 'production_status_map': {', '.join(bad)} (use {', '.join(PRODUCTION_STATUSES)})."
        )
    return config


def parse_document(operation, data, config=None):
    """The document of ``operation`` (receipt, delivery, production) read with the endpoint's ``config``."""
    config = config or load_config("")
    if operation == "receipt":
        return parse_receipt(data, config["receipt"])
    if operation == "delivery":
        return parse_delivery(data, config["delivery"], config["delivery_line"])
    if operation == "production":
        return parse_production(data, config["production"], config["production_status_map"])
    raise InboundError(f"Unknown SAP document {operation!r}.")


# READING


def parse_receipt(data, keys=None):
    keys = {**RECEIPT_KEYS, **(keys or {})}
    customer_no = _text(data, keys["customer_no"])
    customer_id = _integer(data, keys["customer_id"])
    if not customer_no and not customer_id:
        raise InboundError(f"Give the customer: '{keys['customer_no']}' (SAP) or '{keys['customer_id']}' (CRM).")
    amount = _decimal(data, keys["amount"], required=True)
    if amount <= 0:
        raise InboundError(f"'{keys['amount']}' must be above zero.")
    currency = _text(data, keys["currency"], required=True).upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise InboundError(f"'{keys['currency']}' must be an ISO currency code such as CNY.")
    return Receipt(
        document=_document(data, keys["document"]),
        customer_no=customer_no,
        customer_id=customer_id,
        amount=amount,
        currency=currency,
        value_date=_date(data, keys["value_date"]),
        contract=_text(data, keys["contract"]),
        text=_text(data, keys["text"]),
        company_code=_text(data, keys["company_code"]),
        fiscal_year=_integer(data, keys["fiscal_year"]),
    )


def parse_delivery(data, keys=None, line_keys=None):
    keys = {**DELIVERY_KEYS, **(keys or {})}
    line_keys = {**DELIVERY_LINE_KEYS, **(line_keys or {})}
    items = data.get(keys["lines"])
    if not isinstance(items, list) or not items:
        raise InboundError(f"'{keys['lines']}' must be a non-empty list.")
    lines = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InboundError(f"Item {index} of '{keys['lines']}' must be an object.")
        try:
            line = DeliveryLine(
                material=_text(item, line_keys["material"]),
                quantity=_decimal(item, line_keys["quantity"], required=True),
                item=_text(item, line_keys["item"]),
            )
        except InboundError as error:
            raise InboundError(f"Item {index}: {error}") from error
        if not line.material and not line.item:
            raise InboundError(f"Item {index}: give '{line_keys['material']}' or '{line_keys['item']}'.")
        if line.quantity <= 0:
            raise InboundError(f"Item {index}: '{line_keys['quantity']}' must be above zero.")
        lines.append(line)
    return Delivery(
        document=_document(data, keys["document"]),
        order=_text(data, keys["order"], required=True),
        date=_date(data, keys["date"]),
        lines=tuple(lines),
        reference=_text(data, keys["reference"]),
    )


def parse_production(data, keys=None, status_map=None):
    """A production order and its costs: linked to the contract line by the SAP sales order and item (or
    material), or by the CRM contract number; figures SAP does not send stay ``None`` (kept as they are)."""
    keys = {**PRODUCTION_KEYS, **(keys or {})}
    status_map = {**PRODUCTION_STATUS_MAP, **(status_map or {})}
    order, contract = _text(data, keys["order"]), _text(data, keys["contract"])
    if not order and not contract:
        raise InboundError(f"Give the contract: '{keys['order']}' (SAP sales order) or '{keys['contract']}'.")
    raw_status = _text(data, keys["status"])
    status = ""
    if raw_status:
        # SAP sends the active system statuses, e.g. "REL PCNF": the last one known to the map wins
        known = [status_map.get(word.upper()) for word in raw_status.split()]
        known = [value for value in known if value]
        if not known:
            raise InboundError(f"Unknown production status '{raw_status}': add it to production_status_map.")
        status = known[-1]
    change = _integer(data, keys["change"])
    if not change:
        raise InboundError(f"'{keys['change']}' is missing.")
    currency = _text(data, keys["currency"]).upper()
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        raise InboundError(f"'{keys['currency']}' must be an ISO currency code such as CNY.")
    costs = {name: _optional_decimal(data, keys[name]) for name in ("planned_cost", "actual_cost")}
    if any(value is not None for value in costs.values()) and not currency:
        raise InboundError(f"'{keys['currency']}' is missing: the costs need their currency.")
    quantities = {name: _optional_decimal(data, keys[name]) for name in ("planned_qty", "actual_qty")}
    for name, value in {**costs, **quantities}.items():
        if value is not None and value < 0:
            raise InboundError(f"'{keys[name]}' must not be negative.")
    return ProductionOrder(
        document=_document(data, keys["document"]),
        change=change,
        order=order,
        item=_text(data, keys["item"]),
        contract=contract,
        material=_text(data, keys["material"]),
        status=status,
        planned_start=_optional_date(data, keys["planned_start"]),
        planned_end=_optional_date(data, keys["planned_end"]),
        actual_end=_optional_date(data, keys["actual_end"]),
        currency=currency,
        **costs,
        **quantities,
    )


# SAP NUMBERS


def number_variants(number):
    """The spellings of an SAP number: as sent, without and with SAP's leading zeros
    ("100234" and "0000100234" are the same customer)."""
    number = (number or "").strip()
    if not number:
        return ()
    variants = [number]
    if number.isdigit():
        for variant in (number.lstrip("0") or "0", number.zfill(SAP_NUMBER_LENGTH)):
            if variant not in variants:
                variants.append(variant)
    return tuple(variants)


def same_item(left, right):
    """Whether two SAP item numbers are the same item ("10" and "000010")."""
    left, right = (left or "").strip(), (right or "").strip()
    if left.isdigit() and right.isdigit():
        return int(left) == int(right)
    return bool(left) and left == right


# FIELDS


def _text(data, key, required=False):
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise InboundError(f"'{key}' is missing.")
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InboundError(f"'{key}' must be a string.")
    return str(value).strip()


def _document(data, key):
    document = _text(data, key, required=True)
    if len(document) > DOCUMENT_MAX:
        raise InboundError(f"'{key}' is longer than {DOCUMENT_MAX} characters.")
    return document


def _integer(data, key):
    value = data.get(key)
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
        raise InboundError(f"'{key}' must be a whole number.")
    return int(value)


def _decimal(data, key, required=False):
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise InboundError(f"'{key}' is missing.")
        return Decimal(0)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InboundError(f"'{key}' must be a number.")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise InboundError(f"'{key}' must be a number, not {value!r}.") from error
    if not number.is_finite():
        raise InboundError(f"'{key}' must be a number, not {value!r}.")
    return number


def _optional_decimal(data, key):
    value = data.get(key)
    return None if value is None or value == "" else _decimal(data, key)


def _optional_date(data, key):
    value = data.get(key)
    # SAP's initial date: 00000000
    return None if value is None or str(value).strip() in ("", "00000000", "0000-00-00") else _date(data, key)


def _date(data, key):
    value = _text(data, key, required=True)
    for pattern in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise InboundError(f"'{key}' must be a date as YYYY-MM-DD or YYYYMMDD, not {value!r}.")
