"""SAP over SOAP (zeep): the sales-order and customer requests of the customer's Z wrappers, their
BAPIRET2 answers, and a client that turns every failure into a typed error.

No ``odoo`` import: the bridge's models call these with plain values and the configuration records'
maps; ``tests/unit/test_sap_tools.py`` runs without a database.

Names follow the camel-case style of SAP's SOAP runtime (``OrderHeaderIn``, ``PurchNoC``, tables as
``{"item": [...]}``). Every SAP name the requests use comes from a field map that the configuration
record may override, so that a wrapper with other parameter names needs no code.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import requests
import zeep
from zeep import exceptions as zeep_exceptions
from zeep.helpers import serialize_object
from zeep.transports import Transport

NAMESPACE = "urn:sap-com:document:sap:soap:functions:mc-style"
DEFAULT_WSDL = Path(__file__).resolve().parent.parent / "wsdl" / "zwisdom_salesorder.wsdl"
DEFAULT_BINDING = f"{{{NAMESPACE}}}ZWISDOM_CRM_BINDING"

# Logical name (used by the code) → SAP parameter or field name (configuration may override).
DEFAULT_FIELD_MAP = {
    # sales order (BAPI_SALESORDER_CREATEFROMDAT2 through the wrapper)
    "header": "OrderHeaderIn",
    "partners": "OrderPartners",
    "items": "OrderItemsIn",
    "schedules": "OrderSchedulesIn",
    "conditions": "OrderConditionsIn",
    "reference": "PurchNoC",
    "reference_date": "PurchDate",
    "requested_date": "ReqDateH",
    "currency": "Currency",
    "partner_role": "PartnRole",
    "partner_number": "PartnNumb",
    "item_number": "ItmNumber",
    "material": "Material",
    "description": "ShortText",
    "quantity": "TargetQty",
    "schedule_date": "ReqDate",
    "schedule_quantity": "ReqQty",
    "condition_type": "CondType",
    "condition_value": "CondValue",
    # answers
    "return": "Return",
    "document": "Salesdocument",
    "customer": "Customer",
    # outbound delivery (BAPI_OUTB_DELIVERY_CREATE_SLS through the wrapper)
    "ship_point": "ShipPoint",
    "due_date": "DueDate",
    "delivery_reference": "ExtDelvNo",
    "delivery_items": "SalesOrderItems",
    "order_number": "RefDoc",
    "order_item": "RefItem",
    "delivery_quantity": "DlvQty",
    "delivery": "Delivery",
    # customer (BAPI_CUSTOMER_* through the wrapper)
    "customer_data": "CustomerData",
    "customer_number": "Customer",
    "name": "Name",
    "name2": "Name2",
    "street": "Street",
    "city": "City",
    "zip": "PostlCode",
    "country": "Country",
    "phone": "Telephone",
    "tax_number": "TaxNumber",
    "search_term": "SearchTerm",
}
# BAPIRET2 TYPE → outcome: "error" refuses the request, anything else is informative.
DEFAULT_STATUS_MAP = {"S": "success", "W": "warning", "I": "info", "E": "error", "A": "error"}
# Values the caller may not know: document type, sales area, partner role, price condition…
DEFAULT_CONSTANTS = {
    "header": {"DocType": "ZOR", "SalesOrg": "1000", "DistrChan": "10", "Division": "00"},
    "partner_role": "AG",
    "condition_type": "PR00",
    "customer": {"AccountGroup": "KUNA", "SalesOrg": "1000", "DistrChan": "10", "Division": "00"},
    "ship_point": "1000",
}
TEXT_LIMITS = {
    "description": 40,
    "name": 40,
    "name2": 40,
    "street": 35,
    "city": 35,
    "zip": 10,
    "phone": 20,
    "tax_number": 20,
    "search_term": 20,
    "reference": 35,
}


class SapError(Exception):
    """A failed SAP call. ``retryable``: the same request may succeed later."""

    retryable = False

    def __init__(self, message, http_status=None, messages=()):
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.messages = tuple(messages)


class SapUnavailable(SapError):
    """Timeout, refused connection, lost reply, HTTP 5xx or a SOAP Fault: SAP may have done the work."""

    retryable = True


class SapAuthError(SapError):
    """HTTP 401/403 (the SAP user or its password): no retry until the integration admin fixes it."""


class SapBusinessError(SapError):
    """SAP answered with BAPIRET2 errors (type E/A) and did not create the document."""


class BadConfiguration(SapError):
    """A map of the configuration record is not valid JSON of the expected shape."""


# CONFIGURATION


@dataclass(frozen=True)
class Mapping:
    field_map: dict = field(default_factory=lambda: dict(DEFAULT_FIELD_MAP))
    constants: dict = field(default_factory=lambda: dict(DEFAULT_CONSTANTS))
    status_map: dict = field(default_factory=lambda: dict(DEFAULT_STATUS_MAP))

    def name(self, key):
        return self.field_map.get(key) or DEFAULT_FIELD_MAP[key]


def parse_map(text, label):
    """A JSON object from a configuration field (empty → ``{}``); ``BadConfiguration`` otherwise."""
    if not (text or "").strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError as error:
        raise BadConfiguration(f"{label}: not valid JSON ({error})") from error
    if not isinstance(value, dict):
        raise BadConfiguration(f"{label}: a JSON object is expected")
    return value


def mapping_from(field_map_text="", constants_text="", status_map_text=""):
    """The defaults overridden by the configuration's JSON maps."""
    status = parse_map(status_map_text, "Status map")
    unknown = {value for value in status.values() if value not in ("success", "warning", "info", "error")}
    if unknown:
        raise BadConfiguration(f"Status map: unknown outcome(s) {', '.join(sorted(unknown))}")
    return Mapping(
        field_map={**DEFAULT_FIELD_MAP, **parse_map(field_map_text, "Field map")},
        constants={**DEFAULT_CONSTANTS, **parse_map(constants_text, "Constants")},
        status_map={**DEFAULT_STATUS_MAP, **{k.upper(): v for k, v in status.items()}},
    )


# REQUESTS


@dataclass(frozen=True)
class OrderLine:
    material: str
    quantity: float
    unit_price: float
    description: str = ""


@dataclass(frozen=True)
class SalesOrder:
    reference: str  # the CRM contract number, written into PURCH_NO_C
    customer_number: str
    currency: str
    reference_date: str  # ISO date of signing
    requested_date: str  # ISO date of delivery
    lines: tuple = ()


@dataclass(frozen=True)
class Customer:
    name: str
    number: str = ""  # SAP customer number when it exists already (update)
    street: str = ""
    city: str = ""
    zip: str = ""
    country: str = ""
    phone: str = ""
    tax_number: str = ""
    search_term: str = ""


@dataclass(frozen=True)
class DeliveryLine:
    order_item: str  # the SAP item number of the sales order line (000010…)
    quantity: float


@dataclass(frozen=True)
class Delivery:
    reference: str  # the CRM shipment request number, kept by SAP in LIKP-LIFEX
    order_number: str  # SAP sales order
    due_date: str  # ISO date
    lines: tuple = ()


def clip(text, limit):
    """``text`` cut to the SAP field length (characters, as SAP counts them in Unicode systems)."""
    return (text or "")[:limit]


def quantity(value):
    """A quantity as SAP's QUAN 13,3 (``Decimal("10.000")``)."""
    return Decimal(f"{value:.3f}")


def amount(value):
    """An amount with two decimals (``Decimal("600.00")``)."""
    return Decimal(f"{value:.2f}")


def item_number(index):
    """SAP item numbers: 000010, 000020…"""
    return f"{(index + 1) * 10:06d}"


def build_order_request(order, mapping=None):
    """Keyword arguments of the create wrapper for ``order`` (a ``SalesOrder``)."""
    mapping = mapping or Mapping()
    n = mapping.name
    constants = mapping.constants
    header = {
        **constants.get("header", {}),
        n("reference"): clip(order.reference, TEXT_LIMITS["reference"]),
        n("reference_date"): order.reference_date,
        n("requested_date"): order.requested_date,
        n("currency"): order.currency,
    }
    items, schedules, conditions = [], [], []
    for index, line in enumerate(order.lines):
        number = item_number(index)
        items.append(
            {
                n("item_number"): number,
                n("material"): line.material,
                n("description"): clip(line.description, TEXT_LIMITS["description"]),
                n("quantity"): quantity(line.quantity),
            }
        )
        schedules.append(
            {
                n("item_number"): number,
                n("schedule_date"): order.requested_date,
                n("schedule_quantity"): quantity(line.quantity),
            }
        )
        conditions.append(
            {
                n("item_number"): number,
                n("condition_type"): constants.get("condition_type", "PR00"),
                n("condition_value"): amount(line.unit_price),
                n("currency"): order.currency,
            }
        )
    return {
        n("header"): header,
        n("partners"): {
            "item": [
                {n("partner_role"): constants.get("partner_role", "AG"), n("partner_number"): order.customer_number}
            ]
        },
        n("items"): {"item": items},
        n("schedules"): {"item": schedules},
        n("conditions"): {"item": conditions},
    }


def build_find_request(reference, mapping=None):
    """Keyword arguments of the lookup wrapper: the order whose customer reference is ``reference``."""
    mapping = mapping or Mapping()
    return {mapping.name("reference"): clip(reference, TEXT_LIMITS["reference"])}


def build_delivery_request(delivery, mapping=None):
    """Keyword arguments of the delivery wrapper: the shipped quantities of the SAP order's items."""
    mapping = mapping or Mapping()
    n = mapping.name
    return {
        n("ship_point"): mapping.constants.get("ship_point", "1000"),
        n("due_date"): delivery.due_date,
        n("delivery_reference"): clip(delivery.reference, TEXT_LIMITS["reference"]),
        n("delivery_items"): {
            "item": [
                {
                    n("order_number"): delivery.order_number,
                    n("order_item"): line.order_item,
                    n("delivery_quantity"): quantity(line.quantity),
                }
                for line in delivery.lines
            ]
        },
    }


def build_delivery_find_request(reference, mapping=None):
    """Keyword arguments of the delivery lookup: the delivery created for shipment request ``reference``."""
    mapping = mapping or Mapping()
    return {mapping.name("delivery_reference"): clip(reference, TEXT_LIMITS["reference"])}


def build_customer_request(customer, mapping=None):
    """Keyword arguments of the customer wrapper (create when ``customer.number`` is empty)."""
    mapping = mapping or Mapping()
    n = mapping.name
    data = {**mapping.constants.get("customer", {})}
    if customer.number:
        data[n("customer_number")] = customer.number
    for key in ("name", "street", "city", "zip", "country", "phone", "tax_number", "search_term"):
        value = getattr(customer, key)
        if value:
            data[n(key)] = clip(value, TEXT_LIMITS.get(key, 40))
    if len(customer.name or "") > TEXT_LIMITS["name"]:
        data[n("name2")] = clip(customer.name[TEXT_LIMITS["name"] :], TEXT_LIMITS["name2"])
    return {n("customer_data"): data}


# ANSWERS


@dataclass(frozen=True)
class ReturnMessage:
    type: str
    id: str
    number: str
    message: str

    def __str__(self):
        code = f"{self.id} {self.number}".strip()
        return f"{self.type} {code}: {self.message}" if code else f"{self.type}: {self.message}"


def return_messages(reply, mapping=None):
    """The BAPIRET2 lines of a serialized reply (``Return`` table or a single structure)."""
    mapping = mapping or Mapping()
    table = (reply or {}).get(mapping.name("return")) or []
    if isinstance(table, dict):
        table = table.get("item") or [table]
    return [
        ReturnMessage(
            str(row.get("Type") or "").upper(),
            str(row.get("Id") or ""),
            str(row.get("Number") or ""),
            str(row.get("Message") or ""),
        )
        for row in table
        if row
    ]


def check_reply(reply, document_key, mapping=None):
    """The document number of a successful reply; ``SapBusinessError`` with SAP's texts when a
    BAPIRET2 line maps to "error" or no number came back."""
    mapping = mapping or Mapping()
    messages = return_messages(reply, mapping)
    errors = [m for m in messages if mapping.status_map.get(m.type, "error") == "error"]
    number = str((reply or {}).get(mapping.name(document_key)) or "").strip()
    if errors:
        raise SapBusinessError("; ".join(str(m) for m in errors), messages=messages)
    if not number:
        texts = "; ".join(str(m) for m in messages) or "no message"
        raise SapBusinessError(f"SAP returned no document number ({texts})", messages=messages)
    return number


# CLIENT


def check_http(response, *args, **kwargs):
    """Response hook: an HTTP error that is not a SOAP envelope (SAP's HTML logon page, a proxy's 502)
    becomes a typed error before zeep tries to read it as XML. SOAP Faults (HTTP 500, XML) go on."""
    status = response.status_code
    if status < 300 or "xml" in (response.headers.get("Content-Type") or ""):
        return response
    if status in (401, 403):
        raise SapAuthError(f"HTTP {status}: SAP refused the user or password", http_status=status)
    if status >= 500 or status in (408, 429):
        raise SapUnavailable(f"HTTP {status}", http_status=status)
    raise BadConfiguration(f"HTTP {status}: check the base URL and the service path", http_status=status)


class SapClient:
    """Calls the wrappers of one SAP service with zeep, over a ``requests.Session`` (basic auth)."""

    def __init__(self, address, session=None, timeout=30, wsdl=None, binding=DEFAULT_BINDING):
        self.session = session or requests.Session()
        self.session.hooks["response"] = [*self.session.hooks.get("response", []), check_http]
        # zeep's timeout covers the WSDL only: operation_timeout bounds each call.
        transport = Transport(session=self.session, timeout=timeout, operation_timeout=timeout)
        settings = zeep.Settings(strict=False, xml_huge_tree=False)
        self.client = zeep.Client(str(wsdl or DEFAULT_WSDL), transport=transport, settings=settings)
        self.service = self.client.create_service(binding, address)
        self.calls = 0

    def call(self, function_name, **kwargs):
        """The serialized reply (a dict) of ``function_name``; typed ``SapError`` on failure."""
        try:
            operation = self.service[function_name]
        except (AttributeError, KeyError, zeep_exceptions.Error) as error:
            raise BadConfiguration(f"The WSDL has no operation {function_name}") from error
        self.calls += 1
        try:
            reply = operation(**kwargs)
        except zeep_exceptions.Fault as error:
            raise SapUnavailable(f"SOAP Fault: {error.message}", http_status=500) from error
        except zeep_exceptions.TransportError as error:
            if error.status_code in (401, 403):
                raise SapAuthError(
                    f"HTTP {error.status_code}: SAP refused the user or password", http_status=error.status_code
                ) from error
            raise SapUnavailable(f"HTTP {error.status_code}", http_status=error.status_code) from error
        except requests.exceptions.Timeout as error:
            raise SapUnavailable(f"No answer within the timeout: {error}") from error
        except requests.exceptions.RequestException as error:
            raise SapUnavailable(f"Connection failed or reply lost: {error}") from error
        except (zeep_exceptions.XMLSyntaxError, zeep_exceptions.XMLParseError) as error:
            raise SapUnavailable(f"The answer is not a SOAP envelope: {error}") from error
        except (zeep_exceptions.ValidationError, TypeError) as error:
            raise BadConfiguration(f"The request does not match the WSDL: {error}") from error
        return serialize_object(reply, dict) or {}
