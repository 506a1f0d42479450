"""What SAP pushes to the CRM: receipts (回款) and goods issues of deliveries (发货) as plain JSON
bodies (read by ``tools/inbound.py``, like PLM's and MES's pushes) and SAP's number formats.

No ``odoo`` import: the controller and the models call these with the request's bytes and dicts;
``tests/unit/test_sap_inbound_tools.py`` runs without a database.

The JSON keys live here and only here (``RECEIPT_KEYS``, ``DELIVERY_KEYS``, ``DELIVERY_LINE_KEYS``:
logical name → key in the body). An installation whose SAP PI/PO mapping sends other names passes
its own ``keys`` (merged over the defaults) and needs no other change.
"""

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


def _date(data, key):
    value = _text(data, key, required=True)
    for pattern in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise InboundError(f"'{key}' must be a date as YYYY-MM-DD or YYYYMMDD, not {value!r}.")
