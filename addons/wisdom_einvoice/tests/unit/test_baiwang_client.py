"""The Baiwang client: signing, bodies and parsing (pure), then against the fake Baiwang over real
HTTP on 127.0.0.1 (no database)."""

import hashlib
import unittest

import requests

from odoo.addons.wisdom_einvoice.tests.fake_baiwang import FakeBaiwang
from odoo.addons.wisdom_einvoice.tools import baiwang, provider
from odoo.addons.wisdom_einvoice.tools.provider import IssueOrder, OrderLine, RedConfirmRequest

SELLER = "91430000MA4WISDOM1"
BLUE = "26432000000000000001"
METER = OrderLine(
    "智能电表", "1090416010000000000", "DTZ-1", "台", "2", "113", True, "0.13", "26.00", "200.00", "226.00"
)
SERVICE = OrderLine("安装服务", "3050200000000000000", "", "次", "1", "100", False, "0.06", "6.00", "100.00", "106.00")


def order(number="KP202600001", lines=(METER,), **values):
    return IssueOrder(
        **{
            "order_no": number,
            "invoice_date": "2026-03-02 10:00:00",
            "invoice_kind": "special",
            "buyer_name": "长沙星城电气设备有限公司",
            "buyer_tax_id": "91430100MA4L0K7C0W",
            "seller_tax_id": SELLER,
            "clerk": "财务",
            "remark": "合同 HT-001",
            "callback_url": "https://crm.example.com/wisdom_einvoice/nuonuo/callback",
            "lines": tuple(lines),
            **values,
        }
    )


class TestSignature(unittest.TestCase):
    def test_sign_is_upper_md5_of_secret_sorted_params_body_secret(self):
        params = {"version": "6.0", "appKey": "K", "method": "m", "token": "", "sign": "old"}
        # by hand: S + appKeyK + methodm + version6.0 (token empty, sign left out) + {} + S
        expected = hashlib.md5(b"SappKeyKmethodmversion6.0{}S").hexdigest().upper()
        self.assertEqual(baiwang.sign("S", params, "{}"), expected)
        self.assertNotEqual(baiwang.sign("S", params, "{ }"), expected)
        self.assertNotEqual(baiwang.sign("S", {**params, "method": "n"}, "{}"), expected)

    def test_password_digest(self):
        md5 = hashlib.md5(b"pwsalt").hexdigest()
        self.assertEqual(baiwang.password_digest("pw", "salt"), hashlib.sha1(md5.encode()).hexdigest())

    def test_china_time(self):
        self.assertEqual(baiwang.china_time("20260303090640"), "2026-03-03 09:06:40")
        self.assertEqual(baiwang.china_time("2026-03-03 09:06:40.0"), "2026-03-03 09:06:40")
        self.assertEqual(baiwang.china_time(None), "")


class TestBodies(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.client = baiwang.BaiwangClient("K", "S", SELLER)

    def test_blue_special_invoice_body(self):
        body = self.client.order_body(order())
        self.assertEqual(body["taxNo"], SELLER)
        data = body["data"]
        self.assertEqual(
            {k: data[k] for k in ("invoiceTypeCode", "invoiceType", "priceTaxMark", "serialNo", "buyerTaxNo")},
            {
                "invoiceTypeCode": "01",
                "invoiceType": "0",
                "priceTaxMark": "1",
                "serialNo": "KP202600001",
                "buyerTaxNo": "91430100MA4L0K7C0W",
            },
        )
        self.assertEqual(
            (data["invoiceTotalPrice"], data["invoiceTotalTax"], data["invoiceTotalPriceTax"]),
            ("200.00", "26.00", "226.00"),
        )
        self.assertEqual(
            data["invoiceDetailsList"][0],
            {
                "goodsLineNo": 1,
                "invoiceLineNature": "0",
                "goodsCode": "1090416010000000000",
                "goodsName": "智能电表",
                "goodsSpecification": "DTZ-1",
                "goodsUnit": "台",
                "goodsQuantity": "2",
                "goodsPrice": "113",
                "goodsTaxRate": "0.13",
                "goodsTotalPrice": "200.00",
                "goodsTotalTax": "26.00",
                "goodsTotalPriceTax": "226.00",
            },
        )
        self.assertNotIn("callBackUrl", data, "the callback route speaks Nuonuo")
        self.assertNotIn("redConfirmUuid", data)

    def test_normal_invoice_with_mixed_price_flags_is_priced_without_tax(self):
        data = self.client.order_body(order(invoice_kind="normal", lines=(METER, SERVICE)))["data"]
        self.assertEqual((data["invoiceTypeCode"], data["priceTaxMark"]), ("02", "0"))
        self.assertEqual([line["goodsPrice"] for line in data["invoiceDetailsList"]], ["100", "100"])
        self.assertEqual(data["invoiceTotalPriceTax"], "332.00")

    def test_red_invoice_body(self):
        red_line = OrderLine(
            "智能电表", "1090416010000000000", "", "台", "-1", "113", True, "0.13", "-13.00", "-100.00", "-113.00"
        )
        red = order(
            lines=(red_line,),
            red=True,
            blue_invoice_number=BLUE,
            red_confirm_uuid="UUID-1",
            red_confirm_no="HZ000001",
            red_reason="1",
        )
        data = self.client.order_body(red)["data"]
        self.assertEqual(
            {k: data[k] for k in ("invoiceType", "originalInvoiceNo", "redConfirmUuid", "redInfoNo", "redIssueReason")},
            {
                "invoiceType": "1",
                "originalInvoiceNo": BLUE,
                "redConfirmUuid": "UUID-1",
                "redInfoNo": "HZ000001",
                "redIssueReason": "1",
            },
        )
        self.assertEqual(data["invoiceTotalPriceTax"], "-113.00")

    def test_red_form_body(self):
        full = self.client.red_form_body(RedConfirmRequest("R1", BLUE, "normal", "2", SELLER, "X"))
        self.assertEqual(
            full["data"],
            {
                "redConfirmSerialNo": "R1",
                "originalInvoiceNo": BLUE,
                "invoiceTypeCode": "02",
                "redReason": "2",
                "sellerTaxNo": SELLER,
                "buyerTaxNo": "X",
                "entryIdentity": "01",
            },
        )

    def test_result_parsing(self):
        done = baiwang.BaiwangClient.result(
            {
                "serialNo": "KP1",
                "status": "1",
                "digitInvoiceNo": "26432000000000000009",
                "invoiceNo": "00000009",
                "invoiceDate": "20260303090640",
                "pdfUrl": "https://x/p",
                "ofdUrl": "https://x/o",
                "xmlUrl": "https://x/x",
            }
        )
        self.assertEqual(
            (done.order_no, done.status, done.invoice_number, done.issued_at, done.xml_url),
            ("KP1", provider.STATUS_DONE, "26432000000000000009", "2026-03-03 09:06:40", "https://x/x"),
        )
        self.assertEqual(
            baiwang.BaiwangClient.result({"serialNo": "KP1", "status": "0"}).status, provider.STATUS_ISSUING
        )
        failed = baiwang.BaiwangClient.result({"serialNo": "KP1", "status": "2", "statusMessage": "购方税号不存在"})
        self.assertEqual((failed.status, failed.message), (provider.STATUS_FAILED, "购方税号不存在"))
        form = baiwang.BaiwangClient.red_result(
            "R1", {"redConfirmNo": "HZ1", "redConfirmUuid": "U", "confirmState": "07"}
        )
        self.assertEqual((form.bill_no, form.status, form.extra), ("HZ1", "void", {"bill_uuid": "U"}))
        self.assertEqual(baiwang.BaiwangClient.red_result("R1", {"confirmState": "01"}).status, "confirmed")

    def test_error_mapping(self):
        def kind(answer):
            client = baiwang.BaiwangClient("KEY", "SECRET", "91430000MA4WISDOM1")
            return type(client._error(*client._error_of(answer)))

        def failure(code, sub_code="", message="x"):
            return {"success": False, "errorResponse": {"code": code, "message": message, "subCode": sub_code}}

        self.assertIs(kind(failure("200001", "SERIAL_NO_REPEAT")), provider.DuplicateOrder)
        self.assertIs(kind(failure("200001", "OTHER", "开票流水号重复")), provider.DuplicateOrder)
        self.assertIs(kind(failure("200001", "AMOUNT_CHECK_FAILED")), provider.AmountMismatch)
        self.assertIs(kind(failure("200001", "SYSTEM_BUSY")), provider.TransportError)
        self.assertIs(kind(failure("100002")), provider.AuthError)
        self.assertIs(kind(failure("200001", "PARAM_ERROR")), provider.Rejected)


class TestClientOverHttp(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.fake = FakeBaiwang().__enter__()
        self.addCleanup(self.fake.__exit__, None, None, None)
        self.session = requests.Session()
        self.addCleanup(self.session.close)
        self.store = baiwang.MemoryTokenStore()

    def client(self, secret="BW-SECRET", password="bw-pass", timeout=5):
        return baiwang.BaiwangClient(
            "BW-KEY",
            secret,
            SELLER,
            username="bw-user",
            password=password,
            salt="bw-salt",
            session=self.session,
            base_url=self.fake.url,
            timeout=timeout,
            token_store=self.store,
        )

    def test_issue_then_status_steps_to_done(self):
        client = self.client()
        self.assertEqual(client.issue(order()), "KP202600001")
        statuses = [client.query(["KP202600001"])[0] for _ in range(3)]
        self.assertEqual([r.status for r in statuses], [provider.STATUS_ISSUING] * 2 + [provider.STATUS_DONE])
        done = statuses[-1]
        self.assertEqual((len(done.invoice_number), done.issued_at), (20, "2026-03-03 09:06:40"))
        self.assertTrue(done.pdf_url.startswith(self.fake.url))
        self.assertEqual(client.query(["NOPE"])[0].status, provider.STATUS_UNKNOWN)

    def test_token_is_fetched_once_and_shared(self):
        client = self.client()
        client.issue(order("A1"))
        client.query(["A1"])
        self.client().query(["A1"])  # another worker, same store
        self.assertEqual(self.fake.tokens_issued, 1)
        token_call = self.fake.calls("baiwang.oauth.token")[0]
        self.assertNotIn("bw-pass", token_call.body.decode() + str(token_call.query))
        self.assertNotIn("client_secret", token_call.query, "secrets travel in the body, not the URL")

    def test_refused_token_is_renewed_once(self):
        client = self.client()
        client.query(["A1"])
        self.fake.revoke_tokens()
        self.assertEqual(client.query(["A1"])[0].status, provider.STATUS_UNKNOWN)
        self.assertEqual(self.fake.tokens_issued, 2)
        self.fake.revoke_tokens()
        self.fake.business_error_next(self.fake.error("100002", "token 无效"), count=2)
        with self.assertRaises(provider.AuthError):
            client.query(["A1"])  # refused again after the renewal: no loop

    def test_bad_credentials(self):
        with self.assertRaises(provider.AuthError):
            self.client(password="wrong").query(["A1"])

    def test_signature_with_another_secret_is_refused(self):
        client = self.client()
        client.access_token()
        client.app_secret = "BW-SECRET-2"
        with self.assertRaises(provider.Rejected) as caught:
            client.query(["A1"])
        self.assertEqual(caught.exception.code, "100003")

    def test_duplicate_serial(self):
        client = self.client()
        client.issue(order())
        with self.assertRaises(provider.DuplicateOrder):
            client.issue(order())

    def test_amount_mismatch(self):
        bad = OrderLine(
            "智能电表", "1090416010000000000", "", "台", "1", "100", False, "0.13", "12.00", "100.00", "112.00"
        )
        with self.assertRaises(provider.AmountMismatch):
            self.client().issue(order(lines=[bad]))

    def test_business_rejection(self):
        client = self.client()
        client.access_token()
        self.fake.business_error_next(self.fake.error("200001", "业务错误", "BUYER_TAX_NO_ERROR", "购方税号有误"))
        with self.assertRaises(provider.Rejected) as caught:
            client.issue(order())
        self.assertEqual((caught.exception.code, caught.exception.message), ("BUYER_TAX_NO_ERROR", "购方税号有误"))

    def test_5xx_and_timeout_are_transient(self):
        client = self.client(timeout=0.3)
        client.access_token()
        self.fake.fail_next(1, status=502)
        with self.assertRaises(provider.TransportError) as caught:
            client.issue(order())
        self.assertEqual(caught.exception.http_status, 502)
        self.fake.stall_next(1, seconds=1.0)
        with self.assertRaisesRegex(provider.TransportError, "timeout"):
            client.query(["A1"])

    def test_lost_reply_then_duplicate_then_query_finds_it(self):
        client = self.client()
        client.access_token()
        self.fake.lose_reply_next()
        with self.assertRaises(provider.TransportError):
            client.issue(order())
        with self.assertRaises(provider.DuplicateOrder):
            client.issue(order())
        self.assertEqual(client.query(["KP202600001"])[0].serial_no, "KP202600001")
        self.assertEqual(len(self.fake.orders), 1)

    def test_failed_outcome(self):
        client = self.client()
        self.fake.outcome_next("2")
        client.issue(order("F1"))
        results = [client.query(["F1"])[0] for _ in range(3)]
        self.assertEqual((results[-1].status, results[-1].provider_status), (provider.STATUS_FAILED, "2"))
        self.assertIn("税号", results[-1].message)

    def test_red_form_then_red_issue(self):
        client = self.client()
        line = OrderLine(
            "智能电表", "1090416010000000000", "", "台", "-1", "113", True, "0.13", "-13.00", "-100.00", "-113.00"
        )
        with self.assertRaises(provider.Rejected):
            client.red_confirm(RedConfirmRequest("R0", BLUE, "special", "2", SELLER, "X", (line,)))
        form = client.red_confirm(RedConfirmRequest("R1", BLUE, "special", "1", SELLER, "X", (line,)))
        self.assertEqual((form.status, form.provider_status), ("pending", "02"))
        self.assertEqual(self.fake.red_forms["R1"]["data"]["redDetailList"][0]["goodsQuantity"], "-1")
        red = order("R1", lines=(line,), red=True, blue_invoice_number=BLUE, red_confirm_uuid=form.extra["bill_uuid"])
        with self.assertRaisesRegex(provider.Rejected, "RED_CONFIRM_NOT_CONFIRMED"):
            client.red_issue(red)
        self.fake.red_forms["R1"]["state"] = "04"
        confirmed = client.red_confirm_query("R1")
        self.assertEqual((confirmed.status, confirmed.bill_no), ("confirmed", form.bill_no))
        self.assertEqual(client.red_issue(red), "R1")
        self.assertEqual(self.fake.orders["R1"]["data"]["invoiceType"], "1")

    def test_every_call_has_a_fresh_request_id(self):
        client = self.client()
        client.query(["A"])
        client.query(["A"])
        calls = self.fake.calls("baiwang.output.invoice.query")
        self.assertEqual(len({r.query["requestId"] for r in calls}), 2)
