"""A fake Nuonuo open platform on 127.0.0.1: checks the signature and the access token, issues
数电发票 whose status steps 20 → 21 → 2 over queries, and can be switched to the platform's
failures: 22 / 24 outcomes, E9106 (natural for a reused order number), E9130, E9500, HTTP 5xx,
timeouts, expired tokens and lost replies (the invoice is made, the connection drops).
"""

import itertools
import json
import threading
from decimal import Decimal
from urllib.parse import parse_qs

from odoo.addons.wisdom_crm_base.tests.fake_server import FakeServer
from odoo.addons.wisdom_einvoice.tools.nuonuo import sign

SERVICES = "/open/v1/services"
TOKEN = "/accessToken"
STEPS = ("20", "21", "2")


class LostReply(Exception):
    """Raised in a handler after the work is done: the server hangs up without answering."""


class FakeNuonuo(FakeServer):
    def __init__(self, app_key="NN-KEY", app_secret="NN-SECRET", seller_tax_id="91430000MA4WISDOM1"):
        super().__init__()
        self.app_key, self.app_secret, self.seller_tax_id = app_key, app_secret, seller_tax_id
        self._server.handle_error = lambda request, client_address: None  # a LostReply hangs up quietly
        self.route("POST", TOKEN, self._on_token)
        self.route("POST", SERVICES, self._on_services)
        for kind in ("pdf", "ofd", "xml"):
            self.route("GET", f"/files/{kind}", self._on_file)
        self._reset_state()

    def _reset_state(self):
        self.lock = threading.Lock()
        self.tokens = {}  # token -> valid
        self.tokens_issued = 0
        self.orders = {}  # orderNo -> dict(order, serial, polls, outcome)
        self.red_forms = {}  # billId -> dict
        self.outcomes = []  # final status of the next submitted orders ("2", "22", "24")
        self.lost_replies = 0
        self.steps = STEPS
        self.files_down = False  # the PDF/OFD/XML links answer 503
        self._numbers = itertools.count(1)

    def reset(self):
        result = super().reset()
        self._reset_state()
        return result

    # PROGRAMMING

    def outcome_next(self, status, count=1):
        """The next ``count`` orders end with ``status`` ("22" failed, "24" signature failed)."""
        self.outcomes.extend([status] * count)

    def lose_reply_next(self, count=1):
        """The next ``count`` issue calls are carried out but their reply is lost."""
        self.lost_replies += count

    def revoke_tokens(self):
        """Every token handed out so far is refused (as after expiry)."""
        self.tokens = dict.fromkeys(self.tokens, False)

    def issued(self):
        return [order for order in self.orders.values() if order["polls"] >= 0]

    # HANDLERS

    def _on_token(self, request):
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if form.get("client_id") != self.app_key or form.get("client_secret") != self.app_secret:
            return 200, {"error": "invalid_client", "error_description": "client_id 或 client_secret 错误"}
        with self.lock:
            self.tokens_issued += 1
            token = f"TOKEN-{self.tokens_issued:04d}"
            self.tokens[token] = True
        return 200, {"access_token": token, "expires_in": 86400}

    @staticmethod
    def _reply(code, describe="", result=None):
        return 200, {"code": code, "describe": describe, "result": result}

    def _on_services(self, request):
        query = request.query
        if query.get("appkey") != self.app_key:
            return self._reply("070314", "appkey 错误")
        body = request.body.decode()
        expected = sign(
            self.app_secret,
            self.app_key,
            query.get("senid", ""),
            query.get("nonce", ""),
            query.get("timestamp", ""),
            body,
        )
        if (
            request.headers.get("X-Nuonuo-Sign") != expected
            or len(query.get("senid", "")) != 32
            or len(query.get("nonce", "")) != 8
        ):
            return self._reply("070312", "签名错误")
        if not self.tokens.get(request.headers.get("accessToken")):
            return self._reply("070301", "accessToken 无效或已过期")
        method = request.headers.get("method", "")
        handlers = {
            "nuonuo.OpeMplatform.requestBillingNew": self._issue,
            "nuonuo.OpeMplatform.queryInvoiceResult": self._query,
            "nuonuo.OpeMplatform.saveInvoiceRedConfirm": self._red_save,
            "nuonuo.OpeMplatform.queryInvoiceRedConfirm": self._red_query,
        }
        if method not in handlers:
            return self._reply("E4000", f"未知方法 {method}")
        return handlers[method](json.loads(body))

    def _issue(self, content):
        order = content.get("order") or {}
        number = order.get("orderNo") or ""
        if not number or len(number) > 20 or not order.get("invoiceDetail"):
            return self._reply("E4000", "订单号或明细不正确")
        if len(order["invoiceDetail"]) > 2000:
            return self._reply("E4000", "明细行数超过 2000")
        problem = self._amount_problem(order["invoiceDetail"])
        if problem:
            return self._reply("E9130", problem)
        with self.lock:
            if number in self.orders:
                return self._reply("E9106", "订单编号重复")
            serial = f"{next(self._numbers):020d}"[-20:]
            self.orders[number] = {
                "order": order,
                "serial": serial,
                "polls": 0,
                "outcome": self.outcomes.pop(0) if self.outcomes else "2",
                "invoice_number": f"2643200000{int(serial):010d}",
            }
            lost = self.lost_replies > 0
            if lost:
                self.lost_replies -= 1
        if lost:
            raise LostReply(number)
        return self._reply("E0000", "开票提交成功", {"invoiceSerialNum": serial})

    @staticmethod
    def _amount_problem(lines):
        for line in lines:
            excl, tax, incl = (Decimal(str(line.get(k))) for k in ("taxExcludedAmount", "tax", "taxIncludedAmount"))
            rate = Decimal(str(line.get("taxRate")))
            if excl + tax != incl:
                return f"{line.get('goodsName')}: 不含税金额 + 税额 ≠ 含税金额"
            if abs(excl * rate - tax) > Decimal("0.06"):
                return f"{line.get('goodsName')}: 税额误差超过 0.06"
        return None

    def _query(self, content):
        numbers = content.get("orderNos") or []
        serials = content.get("serialNos") or []
        if len(numbers) + len(serials) > 50:
            return self._reply("E4000", "最多 50 个")
        results = []
        with self.lock:
            for number, order in self.orders.items():
                if number not in numbers and order["serial"] not in serials:
                    continue
                step = self.steps[min(order["polls"], len(self.steps) - 1)]
                status = order["outcome"] if step == "2" else step
                order["polls"] += 1
                results.append(self._result(number, order, status))
        return self._reply("E0000", "获取成功", results)

    def _result(self, number, order, status):
        item = {
            "orderNo": number,
            "serialNo": order["serial"],
            "status": status,
            "statusMsg": status,
            "failCause": {"22": "开票失败：购方税号不存在", "24": "签章失败"}.get(status, ""),
        }
        if status == "2":
            base, number = self.url + "/files/", order["invoice_number"]
            item.update(
                allElectronicInvoiceNumber=number,
                invoiceTime=1772500000000,
                pdfUrl=f"{base}pdf?n={number}",
                ofdUrl=f"{base}ofd?n={number}",
                xmlUrl=f"{base}xml?n={number}",
            )
        return item

    def _red_save(self, content):
        bill_id = content.get("billId")
        if content.get("redReason") not in ("1", "2", "3", "4"):
            return self._reply("E4000", "红冲原因不正确")
        if content.get("redReason") in ("2", "3") and content.get("detail"):
            return self._reply("E4000", "开票有误/服务中止只能全额红冲")
        with self.lock:
            form = self.red_forms.setdefault(
                bill_id, {"content": content, "status": "01", "no": f"HZ{len(self.red_forms):06d}"}
            )
        return self._reply(
            "E0000", "提交成功", {"billNo": form["no"], "billStatus": form["status"], "billUuid": f"UUID-{bill_id}"}
        )

    def _red_query(self, content):
        form = self.red_forms.get(content.get("billId"))
        if not form:
            return self._reply("E0000", "", [])
        return self._reply(
            "E0000",
            "",
            [{"billNo": form["no"], "billStatus": form["status"], "billUuid": f"UUID-{content.get('billId')}"}],
        )

    def _on_file(self, request):
        if self.files_down:
            return 503, {"error": "file service unavailable"}
        kind = request.path.rsplit("/", 1)[-1]
        return 200, f"%{kind.upper()} {request.query.get('n', '')}".encode()
