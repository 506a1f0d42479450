"""A fake Baiwang (百望云) router on 127.0.0.1: ``POST /router/rest`` checks the signature and the
access token (``baiwang.oauth.token``, password grant), issues 数电发票 whose status steps
0 → 0 → 1 over queries, raises and answers 红字确认单, and can be switched to the platform's
failures: a failed outcome, a duplicate serial number (natural for a reused one), an amount
mismatch, a business rejection, HTTP 5xx, timeouts, revoked tokens and lost replies (the invoice is
made, the connection drops).
"""

import itertools
import json
import threading
from decimal import Decimal
from urllib.parse import parse_qs

from odoo.addons.wisdom_crm_base.tests.fake_server import FakeServer
from odoo.addons.wisdom_einvoice.tools.baiwang import ROUTER, password_digest, sign

STEPS = ("0", "0", "1")
TOKEN_METHOD = "baiwang.oauth.token"
INVALID_TOKEN = "100002"


class LostReply(Exception):
    """Raised in a handler after the work is done: the server hangs up without answering."""


class FakeBaiwang(FakeServer):
    def __init__(
        self,
        app_key="BW-KEY",
        app_secret="BW-SECRET",
        username="bw-user",
        password="bw-pass",
        salt="bw-salt",
        seller_tax_id="91430000MA4WISDOM1",
    ):
        super().__init__()
        self.app_key, self.app_secret, self.seller_tax_id = app_key, app_secret, seller_tax_id
        self.username, self.password_digest = username, password_digest(password, salt)
        self._server.handle_error = lambda request, client_address: None  # a LostReply hangs up quietly
        self.route("POST", ROUTER, self._on_router)
        for kind in ("pdf", "ofd", "xml"):
            self.route("GET", f"/files/{kind}", self._on_file)
        self._reset_state()

    def _reset_state(self):
        self.lock = threading.Lock()
        self.tokens = {}  # token -> valid
        self.tokens_issued = 0
        self.orders = {}  # serialNo -> dict(body, data, polls, outcome, invoice_number)
        self.red_forms = {}  # redConfirmSerialNo -> dict(data, state, no, uuid)
        self.outcomes = []  # final status of the next submitted orders ("1" done, "2" failed)
        self.lost_replies = 0
        self.steps = STEPS
        self._numbers = itertools.count(1)

    def reset(self):
        result = super().reset()
        self._reset_state()
        return result

    # PROGRAMMING

    def outcome_next(self, status, count=1):
        """The next ``count`` orders end with ``status`` ("2" failed)."""
        self.outcomes.extend([status] * count)

    def lose_reply_next(self, count=1):
        """The next ``count`` issue calls are carried out but their reply is lost."""
        self.lost_replies += count

    def revoke_tokens(self):
        """Every token handed out so far is refused (as after expiry)."""
        self.tokens = dict.fromkeys(self.tokens, False)

    @staticmethod
    def error(code, message, sub_code="", sub_message=""):
        """A failed answer in Baiwang's shape (also for ``business_error_next``)."""
        error = {"code": code, "message": message}
        if sub_code:
            error.update(subCode=sub_code, subMessage=sub_message or message)
        return {"success": False, "errorResponse": error}

    def calls(self, method):
        """Requests received for one API method."""
        return [r for r in self.requests if r.path == ROUTER and r.query.get("method") == method]

    # HANDLERS

    @staticmethod
    def _ok(response):
        return 200, {"success": True, "response": response}

    def _on_router(self, request):
        method = request.query.get("method", "")
        if method == TOKEN_METHOD:
            return self._on_token(request)
        query = request.query
        if query.get("appKey") != self.app_key:
            return 200, self.error("100005", "appKey 不存在")
        body = request.body.decode()
        if query.get("sign") != sign(self.app_secret, query, body) or not query.get("requestId"):
            return 200, self.error("100003", "签名错误")
        if not self.tokens.get(query.get("token")):
            return 200, self.error(INVALID_TOKEN, "token 无效或已过期")
        handlers = {
            "baiwang.output.invoice.issue": self._issue,
            "baiwang.output.invoice.query": self._query,
            "baiwang.output.redinvoice.add": self._red_add,
            "baiwang.output.redinvoice.query": self._red_query,
        }
        if method not in handlers:
            return 200, self.error("100004", f"未知方法 {method}")
        content = json.loads(body)
        if content.get("taxNo") != self.seller_tax_id:
            return 200, self.error("200001", "业务错误", "TAX_NO_NOT_FOUND", "销方税号未开通")
        return handlers[method](content.get("data") or {})

    def _on_token(self, request):
        form = {**request.query, **{k: v[0] for k, v in parse_qs(request.body.decode()).items()}}
        if (
            form.get("grant_type") != "password"
            or form.get("client_id") != self.app_key
            or form.get("client_secret") != self.app_secret
            or form.get("username") != self.username
            or form.get("password") != self.password_digest
        ):
            return 200, self.error("100009", "用户名、密码或应用凭证错误")
        with self.lock:
            self.tokens_issued += 1
            token = f"BW-TOKEN-{self.tokens_issued:04d}"
            self.tokens[token] = True
        return self._ok({"access_token": token, "expires_in": 7200, "refresh_token": f"R-{token}"})

    def _issue(self, data):
        serial = data.get("serialNo") or ""
        lines = data.get("invoiceDetailsList") or []
        if not serial or not lines or data.get("invoiceTypeCode") not in ("01", "02"):
            return 200, self.error("200001", "业务错误", "PARAM_ERROR", "流水号、票种或明细不正确")
        if data.get("invoiceType") == "1" and not data.get("originalInvoiceNo"):
            return 200, self.error("200001", "业务错误", "PARAM_ERROR", "红票须传原发票号码")
        if data.get("redConfirmUuid") and not any(
            form["uuid"] == data["redConfirmUuid"] and form["state"] in ("01", "04") for form in self.red_forms.values()
        ):
            return 200, self.error("200001", "业务错误", "RED_CONFIRM_NOT_CONFIRMED", "红字确认单未确认")
        problem = self._amount_problem(lines)
        if problem:
            return 200, self.error("200001", "业务错误", "AMOUNT_CHECK_FAILED", problem)
        with self.lock:
            if serial in self.orders:
                return 200, self.error("200001", "业务错误", "SERIAL_NO_REPEAT", "开票流水号重复")
            number = next(self._numbers)
            self.orders[serial] = {
                "data": data,
                "polls": 0,
                "outcome": self.outcomes.pop(0) if self.outcomes else "1",
                "invoice_number": f"2643200000{number:010d}",
            }
            lost = self.lost_replies > 0
            if lost:
                self.lost_replies -= 1
        if lost:
            raise LostReply(serial)
        return self._ok({"serialNo": serial})

    @staticmethod
    def _amount_problem(lines):
        for line in lines:
            excl, tax, incl = (
                Decimal(str(line.get(k))) for k in ("goodsTotalPrice", "goodsTotalTax", "goodsTotalPriceTax")
            )
            rate = Decimal(str(line.get("goodsTaxRate")))
            if excl + tax != incl:
                return f"{line.get('goodsName')}: 金额 + 税额 ≠ 价税合计"
            if abs(excl * rate - tax) > Decimal("0.06"):
                return f"{line.get('goodsName')}: 税额误差超过 0.06"
        return None

    def _query(self, data):
        serial = data.get("serialNo")
        with self.lock:
            order = self.orders.get(serial)
            if not order:
                return self._ok([])
            step = self.steps[min(order["polls"], len(self.steps) - 1)]
            status = order["outcome"] if step == "1" else step
            order["polls"] += 1
        item = {
            "serialNo": serial,
            "status": status,
            "statusMessage": {"2": "开具失败：购方税号不存在"}.get(status, ""),
        }
        if status == "1":
            base, number = self.url + "/files/", order["invoice_number"]
            item.update(
                digitInvoiceNo=number,
                invoiceNo=number,
                invoiceDate="20260303090640",
                pdfUrl=f"{base}pdf?n={number}",
                ofdUrl=f"{base}ofd?n={number}",
                xmlUrl=f"{base}xml?n={number}",
            )
        return self._ok([item])

    def _red_add(self, data):
        serial = data.get("redConfirmSerialNo")
        if data.get("redReason") not in ("1", "2", "3", "4") or not data.get("originalInvoiceNo"):
            return 200, self.error("200001", "业务错误", "PARAM_ERROR", "红冲原因或原发票号码不正确")
        if data.get("redReason") in ("2", "3") and data.get("redDetailList"):
            return 200, self.error("200001", "业务错误", "PARAM_ERROR", "开票有误/服务中止只能全额红冲")
        with self.lock:
            form = self.red_forms.setdefault(
                serial, {"data": data, "state": "02", "no": f"HZ{len(self.red_forms):06d}", "uuid": f"UUID-{serial}"}
            )
        return self._ok(self._red_item(form))

    @staticmethod
    def _red_item(form):
        return {"redConfirmNo": form["no"], "redConfirmUuid": form["uuid"], "confirmState": form["state"]}

    def _red_query(self, data):
        form = self.red_forms.get(data.get("redConfirmSerialNo"))
        return self._ok([self._red_item(form)] if form else [])

    def _on_file(self, request):
        kind = request.path.rsplit("/", 1)[-1]
        return 200, f"%{kind.upper()} {request.query.get('n', '')}".encode()
