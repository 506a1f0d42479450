"""Client of the Nuonuo (诺诺) open platform for 数电发票, on ``requests``.

Every call is ``POST {base_url}/open/v1/services?senid=&nonce=&timestamp=&appkey=`` with the headers
``X-Nuonuo-Sign`` (Base64 HMAC-SHA1 with the app secret over
``a=services&l=v1&p=open&k={appKey}&i={senid}&n={nonce}&t={timestamp}&f={body}``), ``accessToken``
and ``method``; the body is sent byte for byte as it was signed. The access token comes from
``POST {token_url}`` (client credentials), lives 24 h and may be fetched only about 50 times in 30
days: it is kept in a shared ``token_store`` and fetched again only when it expires or is refused.

Answers carry ``code`` (``E0000`` ok); the codes map to the typed errors of ``provider``.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
from datetime import UTC, datetime, timedelta, timezone

from . import provider
from .provider import InvoiceResult, RedConfirmResult

DEFAULT_BASE_URL = "https://sdk.nuonuo.com"
DEFAULT_TOKEN_URL = "https://open.nuonuo.com/accessToken"
DEFAULT_TIMEOUT = 15
OK = "E0000"
METHOD_ISSUE = "nuonuo.OpeMplatform.requestBillingNew"
METHOD_QUERY = "nuonuo.OpeMplatform.queryInvoiceResult"
METHOD_RED_SAVE = "nuonuo.OpeMplatform.saveInvoiceRedConfirm"
METHOD_RED_QUERY = "nuonuo.OpeMplatform.queryInvoiceRedConfirm"
# Token refused: Nuonuo answers these codes for a missing, invalid or expired accessToken
# (*unconfirmed*: the public SDKs name 070301/070302; configurable through ``token_error_codes``).
TOKEN_ERROR_CODES = ("070301", "070302", "070303")
TRANSIENT_CODES = ("E9500", "E9999")  # service busy / system error: try again later
CHINA = timezone(timedelta(hours=8))
INVOICE_LINES = {"special": "bs", "normal": "pc"}
STATUSES = {
    "20": provider.STATUS_ISSUING,
    "21": provider.STATUS_SIGNING,
    "2": provider.STATUS_DONE,
    "22": provider.STATUS_FAILED,
    "24": provider.STATUS_FAILED,
    "3": provider.STATUS_VOID,
}
RED_BILL_STATUSES = {
    "01": "pending",
    "02": "pending",
    "03": "pending",
    "04": "confirmed",
    "05": "confirmed",
    "06": "void",
    "07": "void",
    "08": "void",
    "09": "void",
    "10": "void",
    "15": "pending",
    "16": "failed",
    "17": "failed",
}  # 01 seller to confirm … 04/05 confirmed … 06–10 void


def sign(app_secret, app_key, senid, nonce, timestamp, body):
    """Base64(HMAC-SHA1(appSecret, "a=services&l=v1&p=open&k=…&i=…&n=…&t=…&f=<body>"))."""
    text = f"a=services&l=v1&p=open&k={app_key}&i={senid}&n={nonce}&t={timestamp}&f={body}"
    digest = hmac.new(app_secret.encode(), text.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def dumps(body):
    """The exact text that is signed and sent."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def china_time(value):
    """Nuonuo gives ``invoiceTime`` as epoch milliseconds or as text: "YYYY-MM-DD HH:MM:SS" (China)."""
    if value in (None, ""):
        return ""
    if isinstance(value, int | float) or str(value).isdigit():
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC).astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")
    return str(value)[:19]


MemoryTokenStore = provider.MemoryTokenStore


class NuonuoClient(provider.HttpProvider):
    duplicate_codes = ("E9106",)
    amount_codes = ("E9130", "E9131")
    transient_codes = TRANSIENT_CODES
    token_error_codes = TOKEN_ERROR_CODES

    def __init__(
        self,
        app_key,
        app_secret,
        seller_tax_id,
        session=None,
        base_url=DEFAULT_BASE_URL,
        token_url=DEFAULT_TOKEN_URL,
        timeout=DEFAULT_TIMEOUT,
        token_store=None,
        clock=time.time,
        user_tax="",
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
        self.token_url = token_url or DEFAULT_TOKEN_URL
        self.user_tax = user_tax  # ISV apps only

    # TOKEN

    def _fetch_token(self):
        data = {"client_id": self.app_key, "client_secret": self.app_secret, "grant_type": "client_credentials"}
        answer = self._post(self.token_url, data=data)
        token = answer.get("access_token")
        if not token:
            raise provider.AuthError(
                answer.get("error") or answer.get("code") or "token",
                answer.get("error_description") or answer.get("describe") or "",
            )
        return token, int(answer.get("expires_in") or 86400)

    # CALLS

    def call(self, method, content):
        """One signed call; a refused token is renewed once. Returns ``result`` of an E0000 answer."""
        body = dumps(content)
        answer = self._signed(method, body, self.access_token())
        if answer.get("code") in TOKEN_ERROR_CODES:
            answer = self._signed(method, body, self.access_token(force=True))
        code = str(answer.get("code"))
        if code == OK:
            return answer.get("result")
        raise self._error(code, answer.get("describe") or "")

    def _signed(self, method, body, token):
        senid = secrets.token_hex(16)
        nonce = str(secrets.randbelow(90000000) + 10000000)
        timestamp = str(int(self.clock()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Nuonuo-Sign": sign(self.app_secret, self.app_key, senid, nonce, timestamp, body),
            "accessToken": token,
            "method": method,
        }
        if self.user_tax:
            headers["userTax"] = self.user_tax
        params = {"senid": senid, "nonce": nonce, "timestamp": timestamp, "appkey": self.app_key}
        return self._post(f"{self.base_url}/open/v1/services", params=params, data=body.encode(), headers=headers)

    # PROVIDER INTERFACE

    def issue(self, order):
        result = self.call(METHOD_ISSUE, {"order": self.order_body(order)})
        return (result or {}).get("invoiceSerialNum", "")

    def red_issue(self, order):
        return self.issue(order)

    def query(self, order_nos):
        order_nos = list(order_nos)
        if len(order_nos) > 50:
            raise ValueError("Nuonuo answers at most 50 order numbers per query")
        results = self.call(METHOD_QUERY, {"orderNos": order_nos, "isOfferInvoiceDetail": "0"}) or []
        found = {item.get("orderNo"): self.result(item) for item in results}
        return [found.get(no) or InvoiceResult(no, "", provider.STATUS_UNKNOWN, "") for no in order_nos]

    def red_confirm(self, form):
        body = {
            "billId": form.bill_id,
            "blueElecInvoiceNumber": form.blue_invoice_number,
            "blueInvoiceLine": INVOICE_LINES.get(form.blue_invoice_kind, "pc"),
            "applySource": "0",
            "redReason": form.reason,
            "sellerTaxNo": form.seller_tax_id,
            "buyerTaxNo": form.buyer_tax_id,
        }
        if form.lines:
            body["detail"] = [self.line_body(line) for line in form.lines]
        return self.red_result(form.bill_id, self.call(METHOD_RED_SAVE, body) or {})

    def red_confirm_query(self, bill_id):
        result = self.call(METHOD_RED_QUERY, {"billId": bill_id, "taxnum": self.seller_tax_id}) or {}
        if isinstance(result, list):
            result = result[0] if result else {}
        return self.red_result(bill_id, result)

    # PAYLOADS

    def order_body(self, order):
        body = {
            "buyerName": order.buyer_name,
            "buyerTaxNum": order.buyer_tax_id,
            "salerTaxNum": order.seller_tax_id,
            "orderNo": order.order_no,
            "invoiceDate": order.invoice_date,
            "clerk": order.clerk,
            "invoiceType": "2" if order.red else "1",
            "invoiceLine": INVOICE_LINES[order.invoice_kind],
            "remark": order.remark,
            "pushMode": "-1",
            "invoiceDetail": [self.line_body(line) for line in order.lines],
        }
        if order.callback_url:
            body["callBackUrl"] = order.callback_url
        if order.red:
            body.update(invoiceNumber=order.blue_invoice_number, billInfoNo=order.red_confirm_uuid)
        return body

    @staticmethod
    def line_body(line):
        return {
            "goodsName": line.goods_name,
            "goodsCode": line.goods_code,
            "specType": line.spec,
            "unit": line.unit,
            "num": line.quantity,
            "price": line.price,
            "withTaxFlag": "1" if line.price_includes_tax else "0",
            "taxRate": line.tax_rate,
            "tax": line.tax,
            "taxExcludedAmount": line.amount_excl,
            "taxIncludedAmount": line.amount_incl,
        }

    @staticmethod
    def result(item):
        status = str(item.get("status", ""))
        return InvoiceResult(
            order_no=item.get("orderNo") or "",
            serial_no=item.get("serialNo") or "",
            status=STATUSES.get(status, provider.STATUS_ISSUING),
            provider_status=status,
            message=item.get("failCause") or item.get("statusMsg") or "",
            invoice_number=item.get("allElectronicInvoiceNumber") or "",
            issued_at=china_time(item.get("invoiceTime")),
            pdf_url=item.get("pdfUrl") or "",
            ofd_url=item.get("ofdUrl") or "",
            xml_url=item.get("xmlUrl") or "",
        )

    @staticmethod
    def red_result(bill_id, item):
        status = str(item.get("billStatus", ""))
        return RedConfirmResult(
            bill_id=bill_id,
            bill_no=item.get("billNo") or "",
            provider_status=status,
            status=RED_BILL_STATUSES.get(status, "pending"),
            message=item.get("describe") or "",
            extra={"bill_uuid": item.get("billUuid") or ""},
        )
