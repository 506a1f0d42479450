"""WeCom byte limits, per-member slots and error codes (pure Python)."""

import unittest
from datetime import datetime, timedelta

from odoo.addons.wisdom_sap_bridge.tools import wecom

NOW = datetime(2026, 3, 10, 8, 0, 0)


class TestTruncate(unittest.TestCase):
    def test_short_text_is_unchanged(self):
        self.assertEqual(wecom.truncate_utf8("回款提醒", 12), "回款提醒")

    def test_cut_on_a_character_boundary_with_ellipsis(self):
        text = wecom.truncate_utf8("回款提醒" * 10, 20)
        self.assertLessEqual(len(text.encode()), 20)
        self.assertEqual(text, "回款提醒回…")  # 5 × 3 bytes + 3 for the ellipsis
        text.encode().decode()  # valid UTF-8

    def test_every_limit_between_characters(self):
        source = "a合b同c" * 50
        for limit in range(4, 80):
            with self.subTest(limit=limit):
                cut = wecom.truncate_utf8(source, limit)
                self.assertLessEqual(len(cut.encode()), limit)
                self.assertTrue(source.startswith(cut[:-1]))

    def test_messages_respect_wecom_limits(self):
        card = wecom.textcard_message("u", 1, "标题" * 100, "描述" * 500, "https://x", "详情")
        self.assertLessEqual(len(card["textcard"]["title"].encode()), 128)
        self.assertLessEqual(len(card["textcard"]["description"].encode()), 512)
        text = wecom.text_message("u", 1, "正文" * 2000)
        self.assertLessEqual(len(text["text"]["content"].encode()), 2048)


class TestSlots(unittest.TestCase):
    def test_free_member_goes_now(self):
        self.assertEqual(wecom.next_slot([NOW - timedelta(seconds=5)] * 29, NOW), NOW)

    def test_thirty_in_the_last_minute_wait_for_the_oldest(self):
        planned = [NOW - timedelta(seconds=50) + timedelta(seconds=i) for i in range(30)]
        self.assertEqual(wecom.next_slot(planned, NOW), planned[0] + timedelta(minutes=1))

    def test_old_messages_do_not_count(self):
        self.assertEqual(wecom.next_slot([NOW - timedelta(seconds=61)] * 40, NOW), NOW)

    def test_future_slots_count(self):
        planned = [NOW] * 30 + [NOW + timedelta(minutes=1)] * 30
        self.assertEqual(wecom.next_slot(planned, NOW), NOW + timedelta(minutes=2))


class FakeResponse:
    def __init__(self, body, status=200):
        self.body, self.status_code = body, status

    def json(self):
        if self.body is None:
            raise ValueError("no JSON")
        return self.body


class FakeSession:
    def __init__(self, *responses):
        self.responses = list(responses)

    def request(self, method, url, **kwargs):
        return self.responses.pop(0)


class TestClient(unittest.TestCase):
    def client(self, *responses):
        return wecom.WeComClient("https://qyapi.example", "corp", "secret", session=FakeSession(*responses))

    def test_codes_are_typed(self):
        cases = [
            ({"errcode": 42001}, wecom.TokenRejected),
            ({"errcode": 40014}, wecom.TokenRejected),
            ({"errcode": -1}, wecom.WeComUnavailable),
            ({"errcode": 45009}, wecom.WeComUnavailable),
            ({"errcode": 81013}, wecom.WeComRefused),
            ({"errcode": 60020}, wecom.WeComRefused),
        ]
        for body, error in cases:
            with self.subTest(body=body), self.assertRaises(error):
                self.client(FakeResponse(body)).send("t", {})
        with self.assertRaises(wecom.WeComUnavailable):
            self.client(FakeResponse(None, 502)).send("t", {})

    def test_token(self):
        token = self.client(FakeResponse({"errcode": 0, "access_token": "A", "expires_in": 7200})).fetch_token()
        self.assertEqual(token, wecom.Token("A", 7200))
