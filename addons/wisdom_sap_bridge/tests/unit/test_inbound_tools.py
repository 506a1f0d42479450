"""What every push to the CRM shares: the bearer token and the JSON body (pure Python)."""

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
