"""The test kit's switches, exercised over real HTTP on 127.0.0.1."""

import unittest

import requests

from odoo.addons.wisdom_crm_base.tests.fake_server import FakeServer


def echo(request):
    return 200, {"ok": True, "order": request.query.get("order")}


class TestFakeServer(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.server = FakeServer().__enter__()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.server.route("GET", "/echo", echo)

    def get(self, **params):
        return requests.get(self.server.url + "/echo", params=params, headers=params.pop("headers", {}), timeout=5)

    def test_routes_and_request_log(self):
        self.assertEqual(self.get(order="A1").json(), {"ok": True, "order": "A1"})
        self.assertEqual(requests.get(self.server.url + "/nowhere", timeout=5).status_code, 404)
        self.assertEqual(self.server.count(), 2)
        self.assertEqual(self.server.count(path="/echo", status=200), 1)
        self.assertEqual(self.server.requests[0].query, {"order": "A1"})

    def test_fail_next_and_flap(self):
        self.server.fail_next(2, status=503)
        self.assertEqual([self.get().status_code for _ in range(3)], [503, 503, 200])
        self.server.flap(0.3, status=502, seed=1)
        statuses = [self.get().status_code for _ in range(100)]
        self.assertTrue(10 < statuses.count(502) < 50)
        self.assertEqual(self.server.count(status=502), statuses.count(502))

    def test_stall_trips_the_client_timeout(self):
        self.server.stall_next(1, seconds=1.0)
        with self.assertRaises(requests.exceptions.ReadTimeout):
            requests.get(self.server.url + "/echo", timeout=0.3)

    def test_invalid_and_expired_token(self):
        self.server.require_token("Bearer good", status=401, body={"errcode": 40014})
        self.assertEqual(self.get().status_code, 401)
        ok = requests.get(self.server.url + "/echo", headers={"Authorization": "Bearer good"}, timeout=5)
        self.assertEqual(ok.status_code, 200)
        self.server.expire_token_next(1)
        expired = requests.get(self.server.url + "/echo", headers={"Authorization": "Bearer good"}, timeout=5)
        self.assertEqual((expired.status_code, expired.json()), (401, {"errcode": 40014}))

    def test_business_error_codes(self):
        self.server.business_error_next({"code": "E9130", "describe": "tax mismatch"}, count=1)
        answer = self.get()
        self.assertEqual((answer.status_code, answer.json()["code"]), (200, "E9130"))
        self.assertEqual(self.get().json()["ok"], True)

    def test_duplicate_submission(self):
        self.server.reject_duplicates(
            lambda r: r.query.get("order"), status=409, body=lambda r: {"error": f"order {r.query['order']} exists"}
        )
        self.assertEqual(self.get(order="A1").status_code, 200)
        again = self.get(order="A1")
        self.assertEqual((again.status_code, again.json()), (409, {"error": "order A1 exists"}))
        self.assertEqual(self.get(order="A2").status_code, 200)
