"""The client against the fake Qichacha over real HTTP on 127.0.0.1."""

import time
import unittest

import requests

from odoo.addons.wisdom_qichacha.tests.fake_qichacha import FakeQichacha
from odoo.addons.wisdom_qichacha.tools import qichacha


class TestClientOverHttp(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.fake = FakeQichacha().__enter__()
        self.addCleanup(self.fake.__exit__, None, None, None)
        self.session = requests.Session()
        self.addCleanup(self.session.close)

    def _client(self, secret="SK-test", timeout=5):
        return qichacha.QichachaClient("AK-test", secret, self.session, base_url=self.fake.url, timeout=timeout)

    def test_lookup_by_name_and_credit_code(self):
        client = self._client()
        results = client.fuzzy_search("星城电气")
        self.assertEqual([r["Name"] for r in results], ["长沙星城电气设备有限公司"])
        company = client.basic_details("91430200MA4PQ7RT1L")
        self.assertEqual(company.name, "株洲新能配电有限公司")
        self.assertTrue(qichacha.is_risk_status(company.status))
        self.assertEqual(len(self.fake.requests), 2)

    def test_bad_signature_is_107(self):
        with self.assertRaises(qichacha.AuthError) as caught:
            self._client(secret="wrong").basic_details("星城电气")
        self.assertEqual(caught.exception.code, "107")

    def test_unknown_company_and_switches(self):
        client = self._client()
        with self.assertRaises(qichacha.NotFound):
            client.basic_details("不存在的公司名称")
        for code, error in (("112", qichacha.QuotaError), ("109", qichacha.QuotaError), ("122", qichacha.RateLimited)):
            self.fake.status_override = code
            with self.subTest(code=code), self.assertRaises(error):
                self._client().basic_details(f"查询{code}")
        self.fake.status_override = None

    def test_server_errors_and_timeouts_are_transport_errors(self):
        self.fake.fail_next(1, status=503)
        with self.assertRaises(qichacha.TransportError):
            self._client().basic_details("星城电气")
        self.fake.stall_next(1, seconds=1.5)
        started = time.monotonic()
        with self.assertRaises(qichacha.TransportError):
            self._client(timeout=0.5).basic_details("星城电气")
        self.assertLess(time.monotonic() - started, 1.4)
        self.assertEqual(self._client().basic_details("星城电气").name, "长沙星城电气设备有限公司")
