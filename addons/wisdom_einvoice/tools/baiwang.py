"""Client of the Baiwang (百望云) open platform for 数电发票, on ``requests``.

Every call is ``POST {base_url}/router/rest`` with the common parameters ``method, appKey, token,
timestamp, format, version, type, requestId, sign`` in the query string and the business content as
JSON body, sent byte for byte as it was signed: ``sign`` is the upper-case MD5 hex of
``appSecret + key1value1key2value2… (sorted by key, sign and empty values left out) + body +
appSecret``. The access token comes from ``baiwang.oauth.token`` (password grant: app key/secret,
user name and the password digested with the user's salt); it is kept in a shared ``token_store``
and fetched again only when it expires or is refused (then the call is repeated once).

Answers are ``{"success": true, "response": …}`` or ``{"success": false, "errorResponse": {"code",
"message", "subCode", "subMessage"}}``; the codes map to the typed errors of ``provider``.

Sources: the request/sign/token layout and the issue body follow Baiwang's published SDKs and API
pages (see the README of this addon); names marked *assumed* below were not found in a public
source and live only in this module's body builders and parsers.
"""

import hashlib
import json
import time
import uuid
from datetime import datetime
from decimal import Decimal

from . import amounts, provider
from .provider import InvoiceResult, RedConfirmResult

DEFAULT_BASE_URL = "https://openapi.baiwang.com"
ROUTER = "/router/rest"
DEFAULT_TIMEOUT = 15
API_VERSION = "6.0"
METHOD_TOKEN = "baiwang.oauth.token"
METHOD_ISSUE = "baiwang.output.invoice.issue"
METHOD_QUERY = "baiwang.output.invoice.query"
METHOD_RED_ADD = "baiwang.output.redinvoice.add"
METHOD_RED_QUERY = "baiwang.output.redinvoice.query"
INVOICE_TYPE_CODES = {"special": "01", "normal": "02"}  # 数电专票 / 数电普票
# Refused token: codes a public Baiwang SDK treats as an expired token (*unconfirmed*).
TOKEN_ERROR_CODES = ("100001", "100002", "1006")
# *assumed* business codes (``subCode``): no public list was found. Messages are matched as well.
DUPLICATE_CODES = ("SERIAL_NO_REPEAT",)
AMOUNT_CODES = ("AMOUNT_CHECK_FAILED", "TAX_AMOUNT_ERROR")
TRANSIENT_CODES = ("SYSTEM_BUSY", "SERVICE_UNAVAILABLE")
# *assumed* issuing status of ``baiwang.output.invoice.query`` (field ``status``).
STATUSES = {
    "0": provider.STATUS_ISSUING,  # 开具中
    "1": provider.STATUS_DONE,  # 开具成功
    "2": provider.STATUS_FAILED,  # 开具失败
    "3": provider.STATUS_VOID,  # 已作废/已红冲
}
# State of a 红字确认单 as the tax bureau numbers it (01 no confirmation needed … 10 void).
RED_FORM_STATUSES = {
    "01": "confirmed",
    "02": "pending",
    "03": "pending",
    "04": "confirmed",
    "05": "void",
    "06": "void",
    "07": "void",
    "08": "void",
    "09": "void",
    "10": "void",
}


def sign(app_secret, params, body):
    """MD5(secret + k1v1k2v2… sorted by key, without ``sign`` and empty values + body + secret), upper hex."""
    pairs = "".join(
        f"{key}{value}" for key, value in sorted(params.items()) if key != "sign" and value not in ("", None)
    )
    return hashlib.md5(f"{app_secret}{pairs}{body}{app_secret}".encode()).hexdigest().upper()


def password_digest(password, salt):
    """The token call's password: SHA1 hex of the MD5 hex of password + salt (the user's salt)."""
    return hashlib.sha1(hashlib.md5(f"{password}{salt}".encode()).hexdigest().encode()).hexdigest()


def dumps(body):
    """The exact text that is signed and sent."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def china_time(value):
    """Baiwang dates: "yyyyMMddHHmmss" or "YYYY-MM-DD HH:MM:SS" (China) → "YYYY-MM-DD HH:MM:SS"."""
    text = str(value or "").strip()
    if len(text) == 14 and text.isdigit():
        return datetime.strptime(text, "%Y%m%d%H%M%S").strftime("%Y-%m-%d %H:%M:%S")
    return text[:19]


MemoryTokenStore = provider.MemoryTokenStore


class BaiwangClient(provider.HttpProvider):
    duplicate_codes = DUPLICATE_CODES
    amount_codes = AMOUNT_CODES
    transient_codes = TRANSIENT_CODES
    token_error_codes = TOKEN_ERROR_CODES

    def __init__(
        self,
        app_key,
        app_secret,
        seller_tax_id,
        username="",
        password="",
        salt="",
        session=None,
        base_url=DEFAULT_BASE_URL,
        timeout=DEFAULT_TIMEOUT,
        token_store=None,
        clock=time.time,
    ):
        super().__init__(
            app_key,
            app_secret,
            seller_tax_id,
            base_url or DEFAULT_BASE_URL,
            session=session,
            timeout=timeout,
            token_store=token_store,
            clock=clock,
        )
        self.username, self.password, self.salt = username, password, salt

    # TOKEN

    def _fetch_token(self):
        # the non-secret parameters in the query string (as Baiwang's SDKs send them), secrets in the form
        params = {
            "method": METHOD_TOKEN,
            "grant_type": "password",
            "client_id": self.app_key,
            "version": API_VERSION,
            "timestamp": str(int(self.clock() * 1000)),
        }
        data = {
            "client_secret": self.app_secret,
            "username": self.username,
            "password": password_digest(self.password, self.salt),
        }
        answer = self._post(self.base_url + ROUTER, params=params, data=data)
        token = (answer.get("response") or {}).get("access_token") if answer.get("success") else None
        if not token:
            code, message = self._error_of(answer)
            raise provider.AuthError(code or "token", message)
        return token, int(answer["response"].get("expires_in") or 7200)

    # CALLS

    def call(self, method, content):
        """One signed call; a refused token is renewed once. Returns ``response`` of a successful answer."""
        body = dumps(content)
        answer = self._signed(method, body, self.access_token())
        if not answer.get("success") and self._error_of(answer)[0] in TOKEN_ERROR_CODES:
            answer = self._signed(method, body, self.access_token(force=True))
        if answer.get("success"):
            return answer.get("response")
        raise self._error(*self._error_of(answer))

    def _signed(self, method, body, token):
        params = {
            "method": method,
            "appKey": self.app_key,
            "token": token,
            "timestamp": str(int(self.clock() * 1000)),
            "format": "json",
            "version": API_VERSION,
            "type": "sync",
            "requestId": uuid.uuid4().hex,
        }
        params["sign"] = sign(self.app_secret, params, body)
        headers = {"Content-Type": "application/json; charset=utf-8"}
        return self._post(self.base_url + ROUTER, params=params, data=body.encode(), headers=headers)

    @staticmethod
    def _error_of(answer):
        """(code, message) of a failed answer: the ``subCode`` when there is one, else ``code``."""
        error = answer.get("errorResponse") or {}
        code = str(error.get("subCode") or error.get("code") or answer.get("code") or "")
        message = error.get("subMessage") or error.get("message") or error.get("msg") or answer.get("msg") or ""
        return code, message

    def _is_duplicate_message(self, message):
        return "流水号" in message and "重复" in message

    # PROVIDER INTERFACE

    def issue(self, order):
        result = self.call(METHOD_ISSUE, self.order_body(order)) or {}
        if isinstance(result, list):
            result = result[0] if result else {}
        return result.get("serialNo") or order.order_no

    def red_issue(self, order):
        return self.issue(order)

    def query(self, order_nos):
        """Baiwang is asked one serial number at a time (``data.serialNo``)."""
        order_nos = list(order_nos)
        if len(order_nos) > 50:
            raise ValueError("at most 50 order numbers per query")
        return [self._query_one(no) for no in order_nos]

    def _query_one(self, order_no):
        result = self.call(METHOD_QUERY, {"taxNo": self.seller_tax_id, "data": {"serialNo": order_no}}) or []
        if isinstance(result, dict):
            result = result.get("list") or result.get("invoiceList") or []
        found = [item for item in result if item.get("serialNo") == order_no]
        return self.result(found[0]) if found else InvoiceResult(order_no, "", provider.STATUS_UNKNOWN, "")

    def red_confirm(self, form):
        return self.red_result(form.bill_id, self.call(METHOD_RED_ADD, self.red_form_body(form)) or {})

    def red_confirm_query(self, bill_id):
        # *assumed*: the form is looked up by our serial number, as it was raised
        result = self.call(METHOD_RED_QUERY, {"taxNo": self.seller_tax_id, "data": {"redConfirmSerialNo": bill_id}})
        if isinstance(result, list):
            result = result[0] if result else {}
        return self.red_result(bill_id, result or {})

    # PAYLOADS

    def order_body(self, order):
        """``baiwang.output.invoice.issue``: our order number is the idempotent ``serialNo``. No
        ``callBackUrl``: the addon's callback route speaks Nuonuo; Baiwang results are polled."""
        tax_mark = "1" if all(line.price_includes_tax for line in order.lines) else "0"
        totals = {
            key: str(sum((Decimal(getattr(line, attr)) for line in order.lines), Decimal("0")))
            for key, attr in (
                ("invoiceTotalPrice", "amount_excl"),
                ("invoiceTotalTax", "tax"),
                ("invoiceTotalPriceTax", "amount_incl"),
            )
        }
        data = {
            "invoiceTypeCode": INVOICE_TYPE_CODES[order.invoice_kind],
            "invoiceType": "1" if order.red else "0",
            "priceTaxMark": tax_mark,
            "serialNo": order.order_no,
            "buyerTaxNo": order.buyer_tax_id,
            "buyerName": order.buyer_name,
            "drawer": order.clerk,
            "remarks": order.remark,
            **totals,
            "invoiceDetailsList": [
                self.line_body(line, tax_mark, number) for number, line in enumerate(order.lines, start=1)
            ],
        }
        if order.red:
            data.update(
                originalInvoiceNo=order.blue_invoice_number,
                redIssueReason=order.red_reason,
                redConfirmUuid=order.red_confirm_uuid,
                redInfoNo=order.red_confirm_no,
            )
        return {"taxNo": order.seller_tax_id, "data": data}

    @staticmethod
    def line_body(line, tax_mark, number):
        price = line.price
        if tax_mark == "0" and line.price_includes_tax and Decimal(line.quantity):
            # the whole invoice is priced without tax: this line's price from its amount excl. tax
            price = amounts.plain((Decimal(line.amount_excl) / Decimal(line.quantity)).quantize(Decimal("1e-13")))
        return {
            "goodsLineNo": number,
            "invoiceLineNature": "0",
            "goodsCode": line.goods_code,
            "goodsName": line.goods_name,
            "goodsSpecification": line.spec,
            "goodsUnit": line.unit,
            "goodsQuantity": line.quantity,
            "goodsPrice": price,
            "goodsTaxRate": line.tax_rate,
            "goodsTotalPrice": line.amount_excl,
            "goodsTotalTax": line.tax,
            "goodsTotalPriceTax": line.amount_incl,
        }

    def red_form_body(self, form):
        """``baiwang.output.redinvoice.add`` (*assumed* names, apart from the detail fields that
        mirror the issue lines): ``redConfirmSerialNo`` is our form number, idempotent like an order's."""
        data = {
            "redConfirmSerialNo": form.bill_id,
            "originalInvoiceNo": form.blue_invoice_number,
            "invoiceTypeCode": INVOICE_TYPE_CODES.get(form.blue_invoice_kind, "02"),
            "redReason": form.reason,
            "sellerTaxNo": form.seller_tax_id,
            "buyerTaxNo": form.buyer_tax_id,
            "entryIdentity": "01",  # raised by the seller
        }
        if form.lines:
            data["redDetailList"] = [self.line_body(line, "0", n) for n, line in enumerate(form.lines, start=1)]
        return {"taxNo": form.seller_tax_id, "data": data}

    @staticmethod
    def result(item):
        """A ``baiwang.output.invoice.query`` item. ``serialNo``, ``invoiceNo``, ``invoiceDate`` and
        ``pdfUrl`` are published names; ``status``, ``statusMessage``, ``digitInvoiceNo`` (the 20-digit
        数电 number, else ``invoiceNo``), ``ofdUrl`` and ``xmlUrl`` are *assumed*."""
        status = str(item.get("status", ""))
        return InvoiceResult(
            order_no=item.get("serialNo") or "",
            serial_no=item.get("serialNo") or "",
            status=STATUSES.get(status, provider.STATUS_ISSUING),
            provider_status=status,
            message=item.get("statusMessage") or "",
            invoice_number=item.get("digitInvoiceNo") or item.get("invoiceNo") or "",
            issued_at=china_time(item.get("invoiceDate")),
            pdf_url=item.get("pdfUrl") or "",
            ofd_url=item.get("ofdUrl") or "",
            xml_url=item.get("xmlUrl") or "",
        )

    @staticmethod
    def red_result(bill_id, item):
        """``redConfirmUuid`` is the published name (the issue call takes it); ``redConfirmNo`` and
        ``confirmState`` (the tax bureau's 01–10) are *assumed*."""
        status = str(item.get("confirmState", ""))
        return RedConfirmResult(
            bill_id=bill_id,
            bill_no=item.get("redConfirmNo") or "",
            provider_status=status,
            status=RED_FORM_STATUSES.get(status, "pending"),
            message=item.get("message") or "",
            extra={"bill_uuid": item.get("redConfirmUuid") or ""},
        )
