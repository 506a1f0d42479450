"""A fake SAP SOAP runtime on the test kit, answering the Z wrappers of the shipped WSDL with real
SOAP 1.1 envelopes (camel-case style), and switchable to SAP's failures:

- ``"success"``: the order is created, ``Return`` type S + ``Salesdocument``;
- ``"error"`` / ``"abort"``: BAPIRET2 type E / A and no number (nothing created);
- ``"fault"``: a SOAP Fault with HTTP 500 (short dump), nothing created;
- ``"unauthorized"``: HTTP 401 with SAP's HTML logon page;
- ``"timeout"``: the order is created and committed, the answer comes after ``stall`` seconds;
- ``"lost"``: the order is created and committed, then the connection is dropped without a reply.

``orders`` maps the customer reference (PURCH_NO_C) to the sales document, as VBAK would.

``ZWisdomChangesGet`` (the CRM's poll) answers from ``changes``, SAP's change log: ``add_receipt``,
``add_delivery`` and ``add_production_order`` record a document changed at a UTC timestamp; a page holds
the changes after ``ChangedSince``, oldest first, at most ``MaxRows``, with ``NextChangedSince`` and
``MoreData``. ``poll_modes`` switches the next polls to ``"fault"`` (SOAP Fault, HTTP 500),
``"unavailable"`` (HTTP 503 from the ICM, HTML), ``"timeout"`` (answers after ``poll_stall`` seconds) or
``"error"`` (BAPIRET2 type E, no rows).
No Odoo import.
"""

import base64
import contextlib
import itertools
import time
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from lxml import etree

from odoo.addons.wisdom_crm_base.tests.fake_server import FakeServer, Request

NS = "urn:sap-com:document:sap:soap:functions:mc-style"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_PATH = "/sap/bc/srt/rfc/sap/zwisdom_crm/100/zwisdom_crm/zwisdom_crm_binding"
# the fields of the poll's rows in the order of the WSDL's types
RECEIPT_FIELDS = ("CompCode", "FiscYear", "DocNo", "Customer", "Amount", "Currency", "ValueDate", "RefDoc", "ItemText")
DELIVERY_FIELDS = ("Delivery", "SalesOrder", "GoodsIssueDate", "ExtDelvNo")
DELIVERY_ITEM_FIELDS = ("RefItem", "Material", "DlvQty")
PRODUCTION_FIELDS = (
    "OrderNumber",
    "ChangedAt",
    "SalesOrder",
    "SalesOrderItem",
    "PurchNoC",
    "Material",
    "SystemStatus",
    "TargetQty",
    "ConfirmedQty",
    "BasicStart",
    "BasicFinish",
    "ActualFinish",
    "Currency",
    "PlannedCost",
    "ActualCost",
)
ICM_UNAVAILABLE = (
    "<html><head><title>503 Service Unavailable</title></head><body>ICM: no server available</body></html>"
)
LOGON_PAGE = (
    "<html><head><title>Logon Error Message</title></head><body><h1>Anmeldung fehlgeschlagen</h1>"
    "<p>Logon failed: user or password incorrect</p></body></html>"
)


class DropConnection(Exception):
    """Raised by a handler: close the connection without answering."""


def envelope(body):
    return (
        f'<?xml version="1.0" encoding="utf-8"?><soap-env:Envelope xmlns:soap-env="{SOAP_NS}">'
        f"<soap-env:Header/><soap-env:Body>{body}</soap-env:Body></soap-env:Envelope>"
    )


def return_table(rows):
    items = "".join(
        f"<item><Type>{t}</Type><Id>{i}</Id><Number>{n}</Number><Message>{escape(m)}</Message>"
        f"<LogNo/><LogMsgNo>000000</LogMsgNo><MessageV1/><MessageV2/><MessageV3/><MessageV4/><Parameter/>"
        f"<Row>0</Row><Field/><System>PRDCLNT100</System></item>"
        for t, i, n, m in rows
    )
    return f"<Return>{items}</Return>"


def fault(text):
    return envelope(
        f'<soap-env:Fault><faultcode>soap-env:Server</faultcode><faultstring xml:lang="en">'
        f"{escape(text)}</faultstring><detail/></soap-env:Fault>"
    )


class FakeSap(FakeServer):
    def __init__(self, user="WISDOM_RFC", password="Secret-SAP-1", service_path=SERVICE_PATH):
        super().__init__()
        self.user, self.password = user, password
        self.service_path = service_path
        self.orders = {}  # PURCH_NO_C → sales document (the first one)
        self.created = []  # (PURCH_NO_C, sales document) of every order created: duplicates show here
        self.customers = {}  # customer number → fields received
        self.customer_modes = []  # "error" for the next customer calls
        self.deliveries = {}  # LIKP-LIFEX (CRM shipment request) → delivery
        self.created_deliveries = []
        self.delivery_modes = []  # "error", "lost" for the next delivery calls
        self.received = []  # (operation, parsed fields) of every SOAP call that reached SAP
        self.modes = []  # modes of the next create calls; empty: success
        self.stall = 10.5
        self.changes = []  # (UTC timestamp YYYYMMDDhhmmss, table, row): SAP's change log read by the poll
        self.poll_modes = []  # "fault", "unavailable", "timeout", "error" for the next polls
        self.poll_stall = 3
        self._numbers = itertools.count(4711)
        self.route("POST", service_path, self._soap)

    def next_create(self, *modes):
        self.modes.extend(modes)

    def reset(self):
        result = super().reset()
        self.orders.clear()
        self.created.clear()
        self.received.clear()
        self.modes.clear()
        self.customers.clear()
        self.customer_modes.clear()
        self.deliveries.clear()
        self.created_deliveries.clear()
        self.delivery_modes.clear()
        self.changes.clear()
        self.poll_modes.clear()
        return result

    # SAP'S CHANGE LOG (what the poll reads)

    def add_receipt(self, changed_at, **row):
        self.changes.append((changed_at, "Receipts", row))

    def add_delivery(self, changed_at, items=(), **row):
        self.changes.append((changed_at, "Deliveries", {**row, "ChangedAt": changed_at, "Items": list(items)}))

    def add_production_order(self, changed_at, **row):
        self.changes.append((changed_at, "ProductionOrders", {**row, "ChangedAt": changed_at}))

    def calls(self, operation):
        return [fields for name, fields in self.received if name == operation]

    # SOAP

    def _soap(self, request):
        expected = "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        mode = self.modes[0] if self.modes else "success"
        if request.headers.get("Authorization") != expected or mode == "unauthorized":
            if mode == "unauthorized":
                self.modes.pop(0)
            return 401, LOGON_PAGE
        body = etree.fromstring(request.body).find(f"{{{SOAP_NS}}}Body")
        call = body[0]
        operation = etree.QName(call).localname
        fields = self._flatten(call)
        self.received.append((operation, fields))
        if operation == "ZWisdomSalesorderFind":
            number = self.orders.get(fields.get("PurchNoC"), "")
            rows = [] if number else [("W", "ZWISDOM", "002", f"No order with reference {fields.get('PurchNoC')}")]
            return self._reply(operation, f"{return_table(rows)}<Salesdocument>{number}</Salesdocument>")
        if operation == "ZWisdomSalesorderCreate":
            return self._create(operation, fields)
        if operation == "ZWisdomDeliveryCreate":
            return self._create_delivery(operation, fields, request)
        if operation == "ZWisdomDeliveryFind":
            number = self.deliveries.get(fields.get("ExtDelvNo"), "")
            return self._reply(operation, f"<Delivery>{number}</Delivery>{return_table([])}")
        if operation == "ZWisdomCustomerMaintain":
            return self._maintain_customer(operation, fields)
        if operation == "ZWisdomChangesGet":
            return self._changes(operation, fields)
        return 500, fault(f"Unknown operation {operation}")

    def _create_delivery(self, operation, fields, request):
        """An outbound delivery for items of a known sales order; the same modes as orders apply."""
        mode = self.delivery_modes.pop(0) if self.delivery_modes else "success"
        items = etree.fromstring(request.body).iter("item")
        known = set(self.orders.values())
        if mode == "error" or any(item.findtext("RefDoc") not in known for item in items):
            rows = [("E", "VL", "302", f"Sales order {fields.get('RefDoc')} is not available for delivery")]
            return self._reply(operation, f"<Delivery/>{return_table(rows)}")
        number = f"{next(self._numbers) + 80000000:010d}"
        self.deliveries.setdefault(fields.get("ExtDelvNo"), number)
        self.created_deliveries.append((fields.get("ExtDelvNo"), number))
        answer = self._reply(
            operation,
            f"<Delivery>{number}</Delivery><NumDeliveries>1</NumDeliveries>"
            f"{return_table([('S', 'VL', '311', f'Delivery {number} saved')])}",
        )
        if mode == "lost":
            raise DropConnection
        return answer

    def _changes(self, operation, fields):
        """A page of the change log after ChangedSince, as the wrapper reads BSID/BSAD, LIKP/LIPS and
        AFKO/AFPO with their costs."""
        mode = self.poll_modes.pop(0) if self.poll_modes else "success"
        if mode == "fault":
            return 500, fault("Exception CX_SY_OPEN_SQL_DB occurred (short dump)")
        if mode == "unavailable":
            return 503, ICM_UNAVAILABLE
        if mode == "timeout":
            time.sleep(self.poll_stall)
        if mode == "error":
            rows = [("E", "ZWISDOM", "010", "No authorization for company code 1000")]
            return self._reply(operation, self._changes_body([], "", "", rows))
        since = int(fields.get("ChangedSince") or 0)
        size = int(fields.get("MaxRows") or 200)
        after = sorted((c for c in self.changes if int(c[0]) > since), key=lambda c: int(c[0]))
        page = after[:size]
        more = "X" if len(after) > size else ""
        return self._reply(operation, self._changes_body(page, page[-1][0] if page else "", more, []))

    @staticmethod
    def _changes_body(page, next_since, more, rows):
        def element(row, names):
            return "".join(f"<{n}>{escape(str(row[n]))}</{n}>" for n in names if row.get(n) not in (None, ""))

        tables = {"Receipts": [], "Deliveries": [], "ProductionOrders": []}
        for changed_at, table, row in page:
            if table == "Receipts":
                inner = element(row, RECEIPT_FIELDS) + f"<ChangedAt>{changed_at}</ChangedAt>"
            elif table == "Deliveries":
                items = "".join(f"<item>{element(item, DELIVERY_ITEM_FIELDS)}</item>" for item in row["Items"])
                inner = element(row, DELIVERY_FIELDS) + f"<ChangedAt>{changed_at}</ChangedAt><Items>{items}</Items>"
            else:
                inner = element(row, PRODUCTION_FIELDS)
            tables[table].append(f"<item>{inner}</item>")
        return (
            f"<Deliveries>{''.join(tables['Deliveries'])}</Deliveries><MoreData>{more}</MoreData>"
            f"<NextChangedSince>{next_since}</NextChangedSince>"
            f"<ProductionOrders>{''.join(tables['ProductionOrders'])}</ProductionOrders>"
            f"<Receipts>{''.join(tables['Receipts'])}</Receipts>{return_table(rows)}"
        )

    def _maintain_customer(self, operation, fields):
        """Like the wrapper: an existing customer is found by its number or by the search term (the CRM
        customer code), so that a create whose reply was lost does not create a second customer."""
        if self.customer_modes and self.customer_modes.pop(0) == "error":
            rows = [("E", "F2", "056", "Tax number 1 is not valid")]
            return self._reply(operation, f"<Customer/>{return_table(rows)}")
        number = (
            fields.get("Customer")
            or next(
                (
                    n
                    for n, c in self.customers.items()
                    if c["SearchTerm"] and c["SearchTerm"] == fields.get("SearchTerm")
                ),
                None,
            )
            or f"{next(self._numbers) + 100000:010d}"
        )
        self.customers[number] = fields
        rows = [("S", "F2", "171", f"Customer {number} saved")]
        return self._reply(operation, f"<Customer>{number}</Customer>{return_table(rows)}")

    def _create(self, operation, fields):
        mode = self.modes.pop(0) if self.modes else "success"
        reference = fields.get("PurchNoC")
        if mode == "fault":
            return 500, fault("Exception CX_SY_CONVERSION_NO_NUMBER occurred (short dump)")
        if mode in ("error", "abort"):
            kind = "E" if mode == "error" else "A"
            rows = [
                ("E", "V1", "382", "Sales document was not changed"),
                (kind, "VP", "112", "Please enter sold-to party or ship-to party"),
            ]
            return self._reply(operation, f"{return_table(rows)}<Salesdocument/>")
        # Like SAP, nothing stops a second order with the same reference: the client must look it up.
        number = f"{next(self._numbers):010d}"
        self.orders.setdefault(reference, number)
        self.created.append((reference, number))
        rows = [("S", "V1", "311", f"Standard Order {int(number)} has been saved")]
        answer = self._reply(operation, f"{return_table(rows)}<Salesdocument>{number}</Salesdocument>")
        if mode == "lost":
            raise DropConnection
        if mode == "timeout":
            time.sleep(self.stall)
        return answer

    @staticmethod
    def _flatten(element):
        """Leaf values by local name (first occurrence), plus ``items``: the rows of OrderItemsIn."""
        fields = {}
        for leaf in element.iter():
            name = etree.QName(leaf).localname
            if len(leaf) == 0 and name not in fields:
                fields[name] = leaf.text or ""
        items = element.find("OrderItemsIn")
        fields["items"] = (
            [{etree.QName(c).localname: c.text for c in item} for item in items] if items is not None else []
        )
        return fields

    @staticmethod
    def _reply(operation, inner):
        return 200, envelope(f'<n0:{operation}Response xmlns:n0="{NS}">{inner}</n0:{operation}Response>')

    # SERVING (SOAP content type, dropped connections)

    def _handler_class(self):
        base = super()._handler_class()
        fake = self

        class Handler(base):
            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    headers=dict(self.headers.items()),
                    body=self.rfile.read(length) if length else b"",
                )
                try:
                    status, body = fake._answer(request)
                except DropConnection:
                    request.answered = 0
                    with fake._lock:
                        fake.requests.append(request)
                    self.close_connection = True
                    return
                request.answered = status
                with fake._lock:
                    fake.requests.append(request)
                soap = isinstance(body, str) and body.startswith("<?xml")
                payload = body.encode() if isinstance(body, str) else str(body).encode()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.send_response(status)
                    self.send_header("Content-Type", "text/xml; charset=utf-8" if soap else "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)

            do_GET = do_POST = _serve

        return Handler
