"""Polling MES (``GET /api/production-progress?changedSince=``) for the progress it did not push: each report
goes through the same apply path as a pushed one (the same report pushed and polled is applied once), the
watermark moves only with a page read, a failure is retried."""

import json

from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.wisdom_sap_bridge.tests.fake_mes import FakeMes

from .common import OwnCursorJobsMixin, SapBridgeCase

TOKEN = "mes-progress-9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d"


@tagged("post_install", "-at_install")
class TestMesPoll(OwnCursorJobsMixin, HttpCase, SapBridgeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake_mes = FakeMes()
        cls.mes_endpoint = cls.start_fake(
            cls.fake_mes,
            "wisdom_sap_bridge.endpoint_mes",
            inbound_token=TOKEN,
            max_attempts=3,
            poll_interval=10,
            timeout=10,  # Odoo's tests raise shorter timeouts to 10 s
        )
        cls.sap_endpoint.active = False

    def setUp(self):
        super().setUp()
        self.fake_mes.reset()

    def planned(self):
        order = self._contract()
        with trap_jobs() as trap:
            order.with_user(self.rep_a1).action_confirm()
        self.run_jobs(trap)
        self.assertTrue(order.mes_order_no)
        return order, order.order_line.filtered("product_id")[0]

    def poll(self, rounds=None):
        self.mes_endpoint.poll_last_at = False
        with trap_jobs() as trap:
            self.env["wisdom.integration.endpoint"]._cron_wisdom_poll()
            message = self.mes_endpoint.poll_message_id
            if rounds is None:
                self.run_jobs(trap)
            else:
                self.env.flush_all()
                self.perform_jobs_round(trap)
                self.env.invalidate_all()
        return message, trap

    def test_poll_applies_progress_page_by_page(self):
        order, line = self.planned()
        self.fake_mes.page_size = 1
        self.fake_mes.add_report(
            "2026-05-10T08:00:00",
            {
                "orderId": order.mes_order_no,
                "status": "IN_PROGRESS",
                "lines": [{"lineRef": f"SOL{line.id}", "reportedQty": 3}],
            },
        )
        self.fake_mes.add_report(
            "2026-05-11T08:00:00",
            {
                "orderId": order.mes_order_no,
                "status": "IN_PROGRESS",
                "lines": [{"lineRef": f"SOL{line.id}", "reportedQty": 7, "reportedAt": "2026-05-11"}],
            },
        )
        logged_before = len(self.fake_mes.requests)
        message, __ = self.poll()
        self.assertEqual(message.state, "done", message.last_error)
        self.assertEqual((message.wisdom_response()["pages"], message.wisdom_response()["received"]), (2, 2))
        self.assertEqual((order.mes_status, line.mes_reported_qty), ("in_progress", 7))
        self.assertEqual(self.mes_endpoint.poll_watermark, "2026-05-11T08:00:00")
        # This poll's two pages, in order: from the start, then from the first page's last change. The
        # fake may also log a request of another test's poll late (CI, 2026-12-05: two of them after
        # this poll's), so the pages are looked for among what was logged since the poll began.
        since = [r.query.get("changedSince") for r in self.fake_mes.requests[logged_before:] if r.method == "GET"]
        self.assertIn(None, since)
        self.assertIn("2026-05-10T08:00:00", since[since.index(None) + 1 :])
        first = next(
            r for r in self.fake_mes.requests[logged_before:] if r.method == "GET" and not r.query.get("changedSince")
        )
        self.assertEqual(first.headers.get("Authorization"), f"Bearer {self.fake_mes.api_key}")

    def test_report_pushed_and_polled_is_applied_once(self):
        order, line = self.planned()
        report = {
            "orderId": order.mes_order_no,
            "status": "DONE",
            "lines": [{"lineRef": f"SOL{line.id}", "reportedQty": 10}],
        }
        response = self.url_open(
            "/wisdom_mes/progress",
            data=json.dumps(report),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
        )
        self.assertEqual(response.status_code, 200)
        self.fake_mes.add_report("2026-05-12T08:00:00", report)
        message, __ = self.poll()
        self.assertEqual((message.wisdom_response()["received"], message.wisdom_response()["already_received"]), (0, 1))
        self.assertEqual(self.Message.search_count([("system", "=", "mes"), ("operation", "=", "progress")]), 1)
        self.assertEqual(order.mes_status, "done")

    def test_failed_poll_keeps_the_watermark_and_is_retried(self):
        order, line = self.planned()
        self.mes_endpoint.poll_watermark = "2026-05-01T00:00:00"
        for day, (failure, quantity) in enumerate((("503", 2), ("timeout", 5)), start=13):
            with self.subTest(failure=failure):
                watermark = self.mes_endpoint.poll_watermark
                report = {
                    "orderId": order.mes_order_no,
                    "lines": [{"lineRef": f"SOL{line.id}", "reportedQty": quantity}],
                }
                self.fake_mes.add_report(f"2026-05-{day}T08:00:00", report)
                if failure == "503":
                    self.fake_mes.fail_next(1, status=503)
                else:
                    self.fake_mes.stall_next(1, seconds=10.5)
                message, trap = self.poll(rounds=1)
                self.assertEqual(message.state, "failed")
                self.assertEqual(self.mes_endpoint.poll_watermark, watermark)
                self.assertNotEqual(line.mes_reported_qty, quantity)
                self.run_jobs(trap)
                self.assertEqual(message.state, "done")
                self.assertEqual(self.mes_endpoint.poll_watermark, f"2026-05-{day}T08:00:00")
                self.assertEqual(line.mes_reported_qty, quantity)
        # read from the start again: every report is applied once
        self.mes_endpoint.poll_watermark = False
        message, __ = self.poll()
        self.assertEqual(message.wisdom_response()["already_received"], 2)
        self.assertEqual(self.Message.search_count([("system", "=", "mes"), ("operation", "=", "progress")]), 2)

    def test_unreadable_report_is_kept_with_its_reason(self):
        self.planned()
        self.fake_mes.add_report("2026-05-14T08:00:00", {"status": "DONE"})
        message, __ = self.poll()
        self.assertEqual(message.state, "done")
        [kept] = message.wisdom_response()["not_booked"]
        self.assertEqual(self.Message.browse(kept["message_id"]).state, "dead")
        self.assertIn("orderId", kept["error"])
        self.assertEqual(self.mes_endpoint.poll_watermark, "2026-05-14T08:00:00")
