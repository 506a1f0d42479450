import unittest
from datetime import date

import requests

from odoo.addons.wisdom_qichacha.tools import qichacha

RECORD = {
    "KeyNo": "9cce0780ab7644008b73bc2120479d31",
    "Name": "长沙星城电气设备有限公司",
    "CreditCode": "91430100ma4l0k7c0w",
    "OperName": "周强",
    "RegistCapi": "5000万元人民币",
    "StartDate": "2012-07-10T00:00:00",
    "Status": "存续（在营、开业、在册）",
    "Address": "长沙市岳麓区桐梓坡西路468号",
    "Scope": "电气设备销售",
    "BelongOrg": "长沙市市场监督管理局",
    "Province": "HUN",
}


class FakeResponse:
    def __init__(self, status_code=200, payload=None):
        self.status_code = status_code
        self.payload = payload

    def json(self):
        if self.payload is None:
            raise ValueError("no JSON")
        return self.payload


class FakeSession:
    """Answers scripted responses (or raises scripted exceptions) and records the requests."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests = []

    def get(self, url, params=None, headers=None, timeout=None):
        self.requests.append({"url": url, "params": params, "headers": headers, "timeout": timeout})
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def ok(result):
    return FakeResponse(payload={"Status": "200", "Message": "查询成功", "Result": result})


def status(code, message="error"):
    return FakeResponse(payload={"Status": code, "Message": message, "Result": None})


class Clock:
    def __init__(self, now=1_700_000_000):
        self.now = now

    def __call__(self):
        return self.now


class TestQichachaClient(unittest.TestCase):
    def _client(self, *answers):
        self.clock = Clock()
        self.session = FakeSession(*answers)
        return qichacha.QichachaClient("AK1234567890", "SK-secret", self.session, clock=self.clock, timeout=7)

    def test_signature_known_vector(self):
        # md5("AK1234567890" + "1700000000" + "SK-secret"), computed with md5sum
        self.assertEqual(qichacha.sign("AK1234567890", "SK-secret", "1700000000"), "88389BEDBD4E3FB6792B52C67A6E7170")

    def test_request_is_signed_with_key_and_timeout(self):
        client = self._client(ok(RECORD))
        company = client.basic_details("长沙星城电气设备有限公司")
        request = self.session.requests[0]
        self.assertEqual(request["url"], "https://api.qichacha.com/ECIV4/GetBasicDetailsByName")
        self.assertEqual(request["params"]["key"], "AK1234567890")
        self.assertEqual(request["headers"], {"Token": "88389BEDBD4E3FB6792B52C67A6E7170", "Timespan": "1700000000"})
        self.assertEqual(request["timeout"], 7)
        self.assertEqual(company.credit_code, "91430100MA4L0K7C0W")
        self.assertEqual(company.establish_date, date(2012, 7, 10))
        self.assertEqual(company.legal_representative, "周强")

    def test_cache_hit_makes_no_call(self):
        client = self._client(ok([RECORD]))
        self.assertEqual(client.fuzzy_search("星城电气")[0]["Name"], RECORD["Name"])
        self.assertEqual(client.fuzzy_search("星城电气")[0]["Name"], RECORD["Name"])
        self.assertEqual(client.calls, 1)
        self.clock.now += 31 * 86400  # cache of 30 days expired
        self.session.answers.append(ok([]))
        self.assertEqual(client.fuzzy_search("星城电气"), [])
        self.assertEqual(client.calls, 2)

    def test_every_status_maps_to_a_typed_error(self):
        expected = {
            "101": qichacha.AuthError, "103": qichacha.AuthError, "107": qichacha.AuthError,
            "115": qichacha.AuthError, "102": qichacha.QuotaError, "109": qichacha.QuotaError,
            "112": qichacha.QuotaError, "116": qichacha.QuotaError, "201": qichacha.NotFound,
            "202": qichacha.BadInput, "213": qichacha.BadInput, "120": qichacha.RateLimited,
            "122": qichacha.RateLimited, "110": qichacha.RepeatedFailure, "199": qichacha.QichachaError,
        }  # fmt: skip
        for code, error_class in expected.items():
            with self.subTest(code=code):
                client = self._client(status(code))
                with self.assertRaises(error_class) as caught:
                    client.basic_details("国网江苏省电力有限公司")
                self.assertEqual(caught.exception.code, code)

    def test_short_keyword_is_refused_without_a_call(self):
        client = self._client()
        with self.assertRaises(qichacha.BadInput):
            client.fuzzy_search("国")
        self.assertEqual(client.calls, 0)

    def test_110_locks_the_query_for_two_hours(self):
        client = self._client(status("110"), ok(RECORD))
        with self.assertRaises(qichacha.RepeatedFailure):
            client.basic_details("星城电气")
        self.clock.now += 3600
        with self.assertRaises(qichacha.RepeatedFailure) as caught:
            client.basic_details("星城电气")
        self.assertEqual(client.calls, 1, "not sent again")
        self.assertEqual(caught.exception.retry_at, 1_700_000_000 + 7200)
        self.clock.now += 3601
        self.assertEqual(client.basic_details("星城电气").name, RECORD["Name"])

    def test_rate_limit_backs_off_every_query(self):
        client = self._client(status("122"), ok(RECORD))
        with self.assertRaises(qichacha.RateLimited) as caught:
            client.basic_details("星城电气")
        self.assertTrue(caught.exception.retryable)
        with self.assertRaises(qichacha.RateLimited):
            client.basic_details("另一家公司")
        self.assertEqual(client.calls, 1)
        self.clock.now += 11
        client.basic_details("另一家公司")
        self.assertEqual(client.calls, 2)

    def test_transport_failures_are_retryable(self):
        for answer in (
            requests.exceptions.ReadTimeout("slow"),
            requests.exceptions.ConnectionError("refused"),
            FakeResponse(502),
            FakeResponse(200, None),
        ):
            with self.subTest(answer=answer):
                client = self._client(answer)
                with self.assertRaises(qichacha.TransportError) as caught:
                    client.basic_details("星城电气")
                self.assertTrue(caught.exception.retryable)

    def test_lenient_dates_and_risk_statuses(self):
        for text in ("2014-10-24 00:00:00", "2014-10-24T00:00:00", "2014-10-24", "2014/10/24", "20141024"):
            self.assertEqual(qichacha.parse_date(text), date(2014, 10, 24))
        self.assertIsNone(qichacha.parse_date(""))
        self.assertIsNone(qichacha.parse_date("-"))
        self.assertTrue(qichacha.is_risk_status("吊销，未注销"))
        self.assertTrue(qichacha.is_risk_status("注销"))
        self.assertFalse(qichacha.is_risk_status("存续（在营、开业、在册）"))

    def test_credentials_required(self):
        with self.assertRaises(qichacha.AuthError):
            qichacha.QichachaClient("", "secret", FakeSession())
