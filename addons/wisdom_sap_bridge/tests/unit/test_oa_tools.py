"""OA's REST mapping, the approval request, OA's answers and decisions, and the REST client against the fake
OA on 127.0.0.1 (pure Python)."""

import unittest
from datetime import datetime

from odoo.addons.wisdom_sap_bridge.tests.fake_oa import FakeOa
from odoo.addons.wisdom_sap_bridge.tools import inbound, oa, rest_json

REQUEST = oa.ApprovalRequest(
    reference="WISDOM-TR7",
    title="Contract approval HT-1: Director",
    contract="HT-1",
    customer="Customer A",
    amount=4500.0,
    currency="CNY",
    tier="Director",
    reviewers=(oa.Person("t_director", "u-1001", "Director", "d@example.com"),),
    requester=oa.Person("t_rep", name="Rep"),
    reasons=("Price below floor",),
    link="https://crm/odoo/sale.order/1",
)


class TestOaConfig(unittest.TestCase):
    def test_defaults_and_overrides_merge_key_by_key(self):
        self.assertEqual(oa.load_config(""), oa.DEFAULT_CONFIG)
        config = oa.load_config(
            '{"process_path": "/workflow/create", "fields": {"process_id": "data.requestid"}, '
            '"decision_map": {"0": "approved"}}'
        )
        self.assertEqual(config["process_path"], "/workflow/create")
        self.assertEqual(config["lookup_path"], oa.DEFAULT_CONFIG["lookup_path"])
        self.assertEqual((config["fields"]["process_id"], config["fields"]["approver"]), ("data.requestid", "approver"))
        self.assertEqual((config["decision_map"]["0"], config["decision_map"]["REJECTED"]), ("approved", "rejected"))

    def test_bad_mappings_are_refused(self):
        for text, reason in (
            ("{oops", "not valid JSON"),
            ("[1]", "JSON object"),
            ('{"person_fields": ["x"]}', "'person_fields'"),
            ('{"decision_map": {"X": "maybe"}}', "maybe"),
            ('{"success_values": "true"}', "list"),
        ):
            with self.subTest(text=text), self.assertRaisesRegex(oa.OaError, reason):
                oa.load_config(text)

    def test_urls_quote_their_parameters_and_a_blank_path_is_off(self):
        config = oa.load_config('{"cancel_path": ""}')
        self.assertEqual(
            oa.url("https://oa/", config, "lookup_path", reference="WISDOM TR/7"),
            "https://oa/api/approvals/by-ref/WISDOM%20TR%2F7",
        )
        self.assertEqual(oa.url("https://oa", config, "cancel_path", process_id="P1"), "")
        self.assertEqual(oa.reference(config, 42), "WISDOM-TR42")


class TestOaBodies(unittest.TestCase):
    def test_request_body_with_default_and_renamed_fields(self):
        body = oa.build_request(REQUEST, oa.load_config(""))
        self.assertEqual((body["externalRef"], body["contractNo"], body["amount"]), ("WISDOM-TR7", "HT-1", 4500.0))
        self.assertEqual(
            body["reviewers"],
            [{"login": "t_director", "oaUserId": "u-1001", "name": "Director", "email": "d@example.com"}],
        )
        self.assertEqual(body["requester"]["login"], "t_rep")
        renamed = oa.build_request(
            REQUEST,
            oa.load_config('{"fields": {"link": "", "amount": "je"}, "person_fields": {"login": "", "email": ""}}'),
        )
        self.assertNotIn("link", renamed)
        self.assertEqual((renamed["je"], renamed["reviewers"]), (4500.0, [{"oaUserId": "u-1001", "name": "Director"}]))

    def test_process_id_and_business_errors_of_answers(self):
        config = oa.load_config('{"fields": {"process_id": "data.requestid"}}')
        self.assertEqual(oa.parse_process_id({"data": {"requestid": 881}}, config), "881")
        for body in (None, [], {"data": {}}, {"data": "x"}):
            with self.subTest(body=body), self.assertRaises(oa.OaError):
                oa.parse_process_id(body, config)
        config = oa.load_config("")
        self.assertIsNone(oa.business_error({"success": True, "processId": "P"}, config))
        self.assertIsNone(oa.business_error({"processId": "P"}, config), "no success field: the HTTP status says")
        self.assertEqual(
            oa.business_error({"success": False, "errorCode": "WF_NO_APPROVER", "message": "没有审批人"}, config),
            ("WF_NO_APPROVER", "没有审批人"),
        )
        # compared with their JSON types: false is not 0, "1" is not 1
        self.assertTrue(oa.business_error({"success": False}, config))
        self.assertTrue(oa.business_error({"success": 1}, config))
        self.assertIsNone(oa.business_error({"success": 0}, config))
        envelope = oa.load_config('{"success_field": "code", "success_values": ["SUCCESS"]}')
        self.assertIsNone(oa.business_error({"code": "SUCCESS"}, envelope))
        self.assertEqual(oa.business_error({"code": "NO_PERMISSION", "message": "x"}, envelope), ("", "x"))
        self.assertIsNone(oa.business_error({"success": False}, oa.load_config('{"success_field": ""}')))

    def test_decisions(self):
        config = oa.load_config("")
        decision = oa.parse_decision(
            {
                "externalRef": "WISDOM-TR7",
                "decision": "agree",
                "approver": " u-1001 ",
                "decidedAt": "2026-05-04T10:30:00+08:00",
            },
            config,
        )
        self.assertEqual(
            (decision.decision, decision.approver, decision.key), ("approved", "u-1001", "WISDOM-TR7:approved")
        )
        self.assertEqual(decision.decided_at, datetime(2026, 5, 4, 2, 30))
        by_process = oa.parse_decision(
            {"processId": 77, "decision": "rejected", "approver": "zs", "decidedAt": 0}, config
        )
        self.assertEqual((by_process.key, by_process.decided_at), ("77:rejected", datetime(1970, 1, 1)))
        self.assertEqual(oa.parse_datetime("2026-05-04 10:30:00"), datetime(2026, 5, 4, 10, 30))
        for body, reason in (
            ([], "JSON object"),
            ({"decision": "APPROVED", "approver": "a"}, "names no review"),
            ({"processId": "P", "decision": "MAYBE", "approver": "a"}, "MAYBE"),
            ({"processId": "P", "decision": "APPROVED"}, "approver"),
            ({"processId": "P", "decision": "APPROVED", "approver": "a", "decidedAt": "yesterday"}, "ISO 8601"),
        ):
            with self.subTest(body=body), self.assertRaisesRegex(oa.OaError, reason):
                oa.parse_decision(body, config)


class TestFakeOaOverHttp(unittest.TestCase):
    def test_start_duplicate_look_up_cancel_and_a_signed_callback(self):
        config = oa.load_config("")
        with FakeOa() as fake:
            headers = oa.headers(config, fake.api_key)
            body = oa.build_request(REQUEST, config)
            first = rest_json.call("POST", oa.url(fake.url, config, "process_path"), headers, body, timeout=5)
            process_id = oa.parse_process_id(first.body, config)
            again = rest_json.call("POST", oa.url(fake.url, config, "process_path"), headers, body, timeout=5)
            self.assertEqual((again.status, oa.parse_process_id(again.body, config)), (409, process_id))
            found = rest_json.call("GET", oa.url(fake.url, config, "lookup_path", reference="WISDOM-TR7"), headers)
            self.assertEqual(oa.parse_process_id(found.body, config), process_id)
            missing = rest_json.call("GET", oa.url(fake.url, config, "lookup_path", reference="WISDOM-TR8"), headers)
            self.assertEqual(missing.status, 404)
            with self.assertRaises(rest_json.RestAuthError):
                rest_json.call("POST", oa.url(fake.url, config, "process_path"), oa.headers(config, "bad"), body)
            cancel = oa.url(fake.url, config, "cancel_path", process_id=process_id)
            self.assertEqual(
                rest_json.call("POST", cancel, headers, oa.build_cancel("WISDOM-TR7", "restarted", config)).status, 200
            )
            self.assertEqual(rest_json.call("POST", cancel, headers, {}).status, 409, "already cancelled")
            # OA's callback is signed the way the CRM checks it
            data, signed = fake.signed(fake.decide(process_id, approver="u-1001"), "token", "secret", timestamp=1000)
            inbound.check_signature("secret", signed["X-Wisdom-Signature"], signed["X-Wisdom-Timestamp"], data, 1100)
            self.assertEqual(oa.parse_decision(inbound.load(data), config).process_id, process_id)
