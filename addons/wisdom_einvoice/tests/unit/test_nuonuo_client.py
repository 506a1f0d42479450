"""The Nuonuo client against the fake Nuonuo over real HTTP on 127.0.0.1 (no database)."""

import unittest

import requests

from odoo.addons.wisdom_einvoice.tests.fake_nuonuo import SERVICES, TOKEN, FakeNuonuo
from odoo.addons.wisdom_einvoice.tools import nuonuo, provider
from odoo.addons.wisdom_einvoice.tools.provider import IssueOrder, OrderLine, RedConfirmRequest

SELLER = "91430000MA4WISDOM1"


def order(number="KP202600001", lines=None, **values):
    lines = lines or [
        OrderLine(
            "智能电表", "1090416010000000000", "DTZ-1", "台", "2", "113", True, "0.13", "26.00", "200.00", "226.00"
        )
    ]
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
            "lines": tuple(lines),
            **values,
        }
    )


class TestSignature(unittest.TestCase):
    def test_sign_is_base64_hmac_sha1_of_the_documented_text(self):
        # computed independently: echo -n 'a=services&l=v1&p=open&k=K&i=I&n=12345678&t=1&f={}' |
        #   openssl dgst -sha1 -hmac S -binary | base64
        import base64
        import hashlib
        import hmac

        text = b"a=services&l=v1&p=open&k=K&i=I&n=12345678&t=1&f={}"
        expected = base64.b64encode(hmac.new(b"S", text, hashlib.sha1).digest()).decode()
        self.assertEqual(nuonuo.sign("S", "K", "I", "12345678", "1", "{}"), expected)
        self.assertNotEqual(nuonuo.sign("S", "K", "I", "12345678", "1", "{ }"), expected)

    def test_china_time(self):
        self.assertEqual(nuonuo.china_time(1772500000000), "2026-03-03 09:06:40")
        self.assertEqual(nuonuo.china_time("2026-03-02 10:00:00.0"), "2026-03-02 10:00:00")
        self.assertEqual(nuonuo.china_time(None), "")


class TestClientOverHttp(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.fake = FakeNuonuo().__enter__()
        self.addCleanup(self.fake.__exit__, None, None, None)
        self.session = requests.Session()
        self.addCleanup(self.session.close)
        self.store = nuonuo.MemoryTokenStore()

    def client(self, secret="NN-SECRET", timeout=5):
        return nuonuo.NuonuoClient(
            "NN-KEY",
            secret,
            SELLER,
            self.session,
            base_url=self.fake.url,
            token_url=self.fake.url + TOKEN,
            timeout=timeout,
            token_store=self.store,
        )

    def test_issue_then_status_steps_to_done(self):
        client = self.client()
        serial = client.issue(order())
        self.assertEqual(len(serial), 20)
        statuses = [client.query(["KP202600001"])[0] for _ in range(3)]
        self.assertEqual([r.provider_status for r in statuses], ["20", "21", "2"])
        done = statuses[-1]
        self.assertEqual(done.status, provider.STATUS_DONE)
        self.assertEqual(len(done.invoice_number), 20)
        self.assertTrue(done.pdf_url.startswith(self.fake.url))
        sent = self.fake.orders["KP202600001"]["order"]
        self.assertEqual((sent["invoiceLine"], sent["invoiceType"]), ("bs", "1"))
        self.assertEqual(sent["invoiceDetail"][0]["withTaxFlag"], "1")

    def test_token_is_fetched_once_and_shared(self):
        client = self.client()
        client.issue(order("A1"))
        client.query(["A1"])
        self.client().query(["A1"])  # another worker, same store
        self.assertEqual(self.fake.tokens_issued, 1)
        self.assertEqual(self.fake.count(path=TOKEN), 1)

    def test_refused_token_is_renewed_once(self):
        client = self.client()
        client.query(["A1"])
        self.fake.revoke_tokens()
        self.assertEqual(client.query(["A1"])[0].status, provider.STATUS_UNKNOWN)
        self.assertEqual(self.fake.tokens_issued, 2)

    def test_bad_secret(self):
        with self.assertRaises(provider.AuthError):
            self.client(secret="wrong").query(["A1"])

    def test_signature_over_other_bytes_is_refused(self):
        client = self.client()
        client.app_secret = "NN-SECRET-2"  # token still valid, signature wrong
        self.store.set("TOKEN-0001", 1e12)
        self.fake.tokens["TOKEN-0001"] = True
        with self.assertRaises(provider.Rejected) as caught:
            client.query(["A1"])
        self.assertEqual(caught.exception.code, "070312")

    def test_duplicate_order_number(self):
        client = self.client()
        client.issue(order())
        with self.assertRaises(provider.DuplicateOrder):
            client.issue(order())

    def test_amount_mismatch(self):
        bad = OrderLine(
            "智能电表", "1090416010000000000", "", "台", "1", "100", False, "0.13", "12.00", "100.00", "112.00"
        )
        with self.assertRaises(provider.AmountMismatch) as caught:
            self.client().issue(order(lines=[bad]))
        self.assertEqual(caught.exception.code, "E9130")

    def test_busy_and_5xx_are_transient(self):
        client = self.client()
        client.access_token()
        self.fake.business_error_next({"code": "E9500", "describe": "系统繁忙"})
        with self.assertRaises(provider.TransportError):
            client.issue(order())
        self.fake.fail_next(1, status=503)
        with self.assertRaises(provider.TransportError) as caught:
            client.issue(order())
        self.assertEqual(caught.exception.http_status, 503)
        client.issue(order())
        self.assertEqual(len(self.fake.orders), 1)

    def test_timeout_is_transient(self):
        client = self.client(timeout=0.3)
        client.access_token()
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
        self.assertEqual(client.query(["KP202600001"])[0].serial_no, self.fake.orders["KP202600001"]["serial"])
        self.assertEqual(len(self.fake.orders), 1)

    def test_failed_outcomes(self):
        client = self.client()
        self.fake.outcome_next("22")
        self.fake.outcome_next("24")
        client.issue(order("F1"))
        client.issue(order("F2"))
        for _ in range(2):
            client.query(["F1", "F2"])
        results = client.query(["F1", "F2"])
        self.assertEqual(
            [(r.status, r.provider_status) for r in results],
            [(provider.STATUS_FAILED, "22"), (provider.STATUS_FAILED, "24")],
        )
        self.assertIn("税号", results[0].message)

    def test_query_more_than_50_refused(self):
        with self.assertRaises(ValueError):
            self.client().query([str(i) for i in range(51)])

    def test_red_confirm_full_and_partial(self):
        client = self.client()
        full = client.red_confirm(RedConfirmRequest("R1", "26432000000000000001", "special", "2", SELLER, "X"))
        self.assertEqual(full.status, "pending")
        self.assertEqual(client.red_confirm_query("R1").bill_no, full.bill_no)
        self.fake.red_forms["R1"]["status"] = "04"
        self.assertEqual(client.red_confirm_query("R1").status, "confirmed")
        line = OrderLine(
            "智能电表", "1090416010000000000", "", "台", "-1", "113", True, "0.13", "-13.00", "-100.00", "-113.00"
        )
        with self.assertRaises(provider.Rejected):
            client.red_confirm(RedConfirmRequest("R2", "26432000000000000001", "special", "2", SELLER, "X", (line,)))
        partial = client.red_confirm(
            RedConfirmRequest("R3", "26432000000000000001", "special", "1", SELLER, "X", (line,))
        )
        self.assertEqual(partial.status, "pending")
        self.assertEqual(self.fake.red_forms["R3"]["content"]["detail"][0]["num"], "-1")

    def test_every_call_is_signed_with_fresh_senid_and_nonce(self):
        client = self.client()
        client.query(["A"])
        client.query(["A"])
        calls = [r for r in self.fake.requests if r.path == SERVICES]
        self.assertEqual(len({r.query["senid"] for r in calls}), 2)
        self.assertTrue(all(len(r.query["nonce"]) == 8 for r in calls))
