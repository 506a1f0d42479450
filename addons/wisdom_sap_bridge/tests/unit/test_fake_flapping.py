"""The soak benchmark's flapping fakes fail the way their system does: a lost reply means the work was
done and no answer came, a 503 or a reset means nothing was done, a system that is down answers nothing
(pure Python, the fakes on 127.0.0.1)."""

import unittest

import requests

from odoo.addons.wisdom_sap_bridge.tests.fake_flapping import Flapping
from odoo.addons.wisdom_sap_bridge.tests.fake_mes import ORDERS, FakeMes
from odoo.addons.wisdom_sap_bridge.tests.fake_wecom import FakeWecom

ORDER = {"externalRef": "HT-2026-0001", "lines": [{"lineRef": "SOL1", "plannedQty": 5}]}


class TestFlapping(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.mes = FakeMes().__enter__()
        self.addCleanup(self.mes.__exit__, None, None, None)
        self.now = 0.0
        self.flapping = Flapping(self.mes, "mes", ratio=1.0, seed=1, client_timeout=0.5, clock=lambda: self.now)

    def post(self):
        headers = {"Authorization": f"Bearer {self.mes.api_key}"}
        return requests.post(self.mes.url + ORDERS, json=ORDER, headers=headers, timeout=0.5)

    def only(self, kind):
        self.flapping.kinds, self.flapping.weights = [kind], [1]

    def test_lost_reply_creates_the_order_without_answering(self):
        self.only("lost")
        with self.assertRaises(requests.ConnectionError):
            self.post()
        self.assertEqual(len(self.mes.orders), 1, "MES has the order")
        self.flapping.ratio = 0.0
        self.assertEqual(self.post().status_code, 409, "sent again: MES answers with the order it has")
        self.assertEqual(self.flapping.injected, {"lost": 1})

    def test_timeout_creates_the_order_and_answers_too_late(self):
        self.only("timeout")
        with self.assertRaises(requests.Timeout):
            self.post()
        self.assertEqual(len(self.mes.orders), 1)

    def test_unavailable_and_reset_do_nothing(self):
        self.only("unavailable")
        self.assertEqual(self.post().status_code, 503)
        self.only("reset")
        with self.assertRaises(requests.ConnectionError):
            self.post()
        self.assertEqual((self.mes.orders, self.flapping.requests), ({}, 2))

    def test_down_answers_nothing_while_down_only(self):
        self.flapping.ratio = 0.0
        self.flapping.down_between(10, 20)
        self.now = 10
        with self.assertRaises(requests.ConnectionError):
            self.post()
        self.now = 20
        self.assertEqual(self.post().status_code, 201)
        self.assertEqual((len(self.mes.orders), self.flapping.injected), (1, {"down": 1}))

    def test_ratio_is_kept_reproducibly(self):
        self.flapping.ratio = 0.3
        self.only("unavailable")
        statuses = [self.post().status_code for _i in range(200)]
        failed = statuses.count(503)
        self.assertTrue(40 <= failed <= 80, failed)
        self.assertEqual(failed, self.flapping.injected["unavailable"])


class TestWecomFlapping(unittest.TestCase):
    def test_expired_token_makes_wecom_answer_42001(self):
        wecom = FakeWecom().__enter__()
        self.addCleanup(wecom.__exit__, None, None, None)
        token = requests.get(
            wecom.url + "/cgi-bin/gettoken", params={"corpid": wecom.corp_id, "corpsecret": wecom.secret}, timeout=5
        ).json()["access_token"]
        flapping = Flapping(wecom, "wecom", ratio=1.0, seed=1)
        flapping.kinds, flapping.weights = ["token_expired"], [1]
        answer = requests.post(
            wecom.url + "/cgi-bin/message/send",
            params={"access_token": token},
            json={"touser": "u1", "msgtype": "text", "agentid": wecom.agent_id, "text": {"content": "hi"}},
            timeout=5,
        ).json()
        self.assertEqual(answer["errcode"], 42001)
        self.assertEqual(wecom.delivered, [])
