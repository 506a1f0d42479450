"""What every push to the CRM shares: the bearer token, the signature and the JSON body (pure Python)."""

import hashlib
import hmac
import unittest

from odoo.addons.wisdom_sap_bridge.tools import inbound


class TestInboundTools(unittest.TestCase):
    def test_bearer_token(self):
        self.assertEqual(inbound.bearer_token("Bearer abc.DEF-123"), "abc.DEF-123")
        self.assertEqual(inbound.bearer_token("bearer  abc "), "abc")
        for header in (None, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer a b"):
            self.assertEqual(inbound.bearer_token(header), "", header)

    def test_load_needs_a_json_object(self):
        self.assertEqual(inbound.load(b'{"a": 1}'), {"a": 1})
        for body in (b"", b"not json", b"{x", b"[1, 2]", b"\xff\xfe", b'"text"'):
            with self.assertRaises(inbound.InboundError, msg=body):
                inbound.load(body)

    def test_signature_over_timestamp_and_raw_body(self):
        body = b'{"processId": "OA-WF-000001", "decision": "APPROVED"}'
        signature = inbound.sign("s3cret", 1_700_000_000, body)
        self.assertEqual(signature, "sha256=" + hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest())
        inbound.check_signature("s3cret", signature, "1700000000", body, now=1_700_000_299)
        inbound.check_signature("s3cret", signature[7:].upper(), "1700000000", body, now=1_700_000_000)
        for sig, stamp, data, now, reason in (
            (signature, "1700000000", body + b" ", 1_700_000_000, "does not match"),
            (signature, "1700000001", body, 1_700_000_000, "does not match"),
            (inbound.sign("other", 1_700_000_000, body), "1700000000", body, 1_700_000_000, "does not match"),
            (signature, "1700000000", body, 1_700_000_301, "300 seconds"),
            (signature, "1700000000", body, 1_699_999_699, "300 seconds"),
            (signature, "", body, 1_700_000_000, "Timestamp"),
            (signature, "yesterday", body, 1_700_000_000, "Timestamp"),
            ("", "1700000000", body, 1_700_000_000, "Missing X-Wisdom-Signature"),
        ):
            with self.subTest(reason=reason, now=now), self.assertRaisesRegex(inbound.SignatureError, reason):
                inbound.check_signature("s3cret", sig, stamp, data, now=now)
