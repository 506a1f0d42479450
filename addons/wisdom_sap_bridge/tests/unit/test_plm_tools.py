"""PLM's REST mapping, the request body, PLM's answers, and the REST client against the fake PLM on
127.0.0.1 (pure Python)."""

import unittest

from odoo.addons.wisdom_sap_bridge.tests.fake_plm import FakePlm
from odoo.addons.wisdom_sap_bridge.tools import plm, rest_json

REQUEST = plm.MaterialRequest(
    reference="WISDOM-DL7-1", name="Explosion-proof terminal", specification="Ex d IIB T4", quantity=5, demand="XQ-1"
)


class TestPlmConfig(unittest.TestCase):
    def test_defaults_and_overrides_merge_key_by_key(self):
        self.assertEqual(plm.load_config(""), plm.DEFAULT_CONFIG)
        config = plm.load_config(
            '{"request_path": "/plm/v2/codes", "fields": {"code": "matnr"}, "status_map": {"OK": "done"}}'
        )
        self.assertEqual(config["request_path"], "/plm/v2/codes")
        self.assertEqual(config["status_path"], plm.DEFAULT_CONFIG["status_path"])
        self.assertEqual((config["fields"]["code"], config["fields"]["request_id"]), ("matnr", "requestId"))
        self.assertEqual((config["status_map"]["OK"], config["status_map"]["DONE"]), ("done", "done"))

    def test_bad_mappings_are_refused(self):
        for text, reason in (
            ("{oops", "not valid JSON"),
            ("[1]", "JSON object"),
            ('{"fields": ["x"]}', "'fields'"),
            ('{"status_map": {"X": "finished"}}', "finished"),
        ):
            with self.subTest(text=text), self.assertRaisesRegex(plm.PlmError, reason):
                plm.load_config(text)

    def test_url_and_headers(self):
        config = plm.load_config("")
        self.assertEqual(
            plm.url("https://plm/", config, "status_path", request_id="R1"), "https://plm/api/material-requests/R1"
        )
        self.assertEqual(plm.headers(config, "k1")["Authorization"], "Bearer k1")
        self.assertNotIn("Authorization", plm.headers(config, ""))
        custom = plm.load_config('{"auth_header": "X-Api-Key", "auth_scheme": ""}')
        self.assertEqual(plm.headers(custom, "k1")["X-Api-Key"], "k1")


class TestPlmPayloads(unittest.TestCase):
    def test_request_body_uses_the_mapped_names(self):
        body = plm.build_request(REQUEST, plm.load_config('{"fields": {"name": "materialName", "uom": ""}}'))
        self.assertEqual(body["externalRef"], "WISDOM-DL7-1")
        self.assertEqual(body["materialName"], "Explosion-proof terminal")
        self.assertEqual((body["specification"], body["quantity"], body["demandNo"]), ("Ex d IIB T4", 5, "XQ-1"))
        self.assertNotIn("uom", body)

    def test_answers(self):
        config = plm.load_config("")
        pending = plm.parse_status({"requestId": "R1", "status": "PENDING"}, config)
        self.assertEqual((pending.request_id, pending.status, pending.code), ("R1", "pending", ""))
        done = plm.parse_status({"requestId": 42, "status": "done", "materialCode": " WS-1 "}, config)
        self.assertEqual((done.request_id, done.status, done.code), ("42", "done", "WS-1"))
        implicit = plm.parse_status({"requestId": "R2", "materialCode": "WS-2"}, config)
        self.assertEqual(implicit.status, "done", "a code without status means done")
        rejected = plm.parse_status({"requestId": "R3", "status": "REJECTED", "message": "dup"}, config)
        self.assertEqual((rejected.status, rejected.message), ("rejected", "dup"))
        for body, reason in (
            ([], "JSON object"),
            ({"status": "DONE"}, "requestId"),
            ({"requestId": "R", "status": "LOST"}, "Unknown PLM status"),
            ({"requestId": "R", "status": "DONE"}, "without 'materialCode'"),
        ):
            with self.subTest(body=body), self.assertRaisesRegex(plm.PlmError, reason):
                plm.parse_status(body, config)


class TestRestClientAgainstFakePlm(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plm = FakePlm().__enter__()
        cls.addClassCleanup(cls.plm.__exit__, None, None, None)
        cls.config = plm.load_config("")

    def setUp(self):
        super().setUp()
        self.plm.reset()

    def post(self, key="plm-key-test"):
        url = plm.url(self.plm.url, self.config, "request_path")
        return rest_json.call(
            "POST", url, plm.headers(self.config, key), plm.build_request(REQUEST, self.config), timeout=5
        )

    def test_request_duplicate_poll_and_404(self):
        created = self.post()
        self.assertEqual(created.status, 201)
        request_id = plm.parse_status(created.body, self.config).request_id
        again = self.post()
        self.assertEqual((again.status, plm.parse_status(again.body, self.config).request_id), (409, request_id))
        self.plm.complete(request_id, "WS-9")
        url = plm.url(self.plm.url, self.config, "status_path", request_id=request_id)
        status = plm.parse_status(
            rest_json.call("GET", url, plm.headers(self.config, "plm-key-test")).body, self.config
        )
        self.assertEqual((status.status, status.code), ("done", "WS-9"))
        self.plm.forget(request_id)
        self.assertEqual(rest_json.call("GET", url, plm.headers(self.config, "plm-key-test")).status, 404)

    def test_failures_are_typed(self):
        with self.assertRaises(rest_json.RestAuthError) as caught:
            self.post(key="wrong")
        self.assertEqual(caught.exception.http_status, 401)
        self.plm.fail_next(1, status=503)
        with self.assertRaises(rest_json.RestUnavailable) as caught:
            self.post()
        self.assertEqual(caught.exception.http_status, 503)
        self.plm.stall_next(1, seconds=1.5)
        with self.assertRaises(rest_json.RestUnavailable):
            rest_json.call("GET", self.plm.url + "/api/material-requests/X", timeout=0.5)
        with self.assertRaises(rest_json.RestUnavailable):
            rest_json.call("GET", "http://127.0.0.1:9/nothing", timeout=2)
