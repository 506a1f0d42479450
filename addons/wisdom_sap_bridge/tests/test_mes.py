"""MES: a signed contract is queued as a planned order (signing never waits for MES), MES's planned
figures land on the contract lines, progress pushed by MES updates reported quantities and the timeline."""

import json

from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.wisdom_sap_bridge.tests.fake_mes import FakeMes

from .common import OwnCursorJobsMixin, SapBridgeCase

TOKEN = "mes-progress-9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d"


@tagged("post_install", "-at_install")
class TestMesPlannedOrders(OwnCursorJobsMixin, HttpCase, SapBridgeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake_mes = FakeMes()
        cls.mes_endpoint = cls.start_fake(
            cls.fake_mes,
            "wisdom_sap_bridge.endpoint_mes",
            inbound_token=TOKEN,
            max_attempts=3,
        )
        cls.sap_endpoint.active = False  # SAP is tested on its own

    def setUp(self):
        super().setUp()
        self.fake_mes.reset()

    def push(self, body, token=TOKEN):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        response = self.url_open("/wisdom_mes/progress", data=data, headers=headers)
        return response.status_code, response.json()

    def signed(self):
        order = self._contract()
        with trap_jobs() as trap:
            order.with_user(self.rep_a1).action_confirm()
        self.assertEqual(order.state, "sale")
        return order, trap

    def test_confirm_queues_the_planned_order_and_mes_plans_it(self):
        order, trap = self.signed()
        self.assertEqual(order.mes_state, "queued")
        self.assertEqual(len(trap.enqueued_jobs), 1)
        self.run_jobs(trap)
        self.assertEqual(order.mes_state, "done")
        self.assertEqual(len(self.fake_mes.orders), 1)
        order_id, sent = next(iter(self.fake_mes.orders.items()))
        self.assertEqual((order.mes_order_no, order.mes_status), (order_id, "planned"))
        self.assertEqual(sent["contractNo"], order.contract_no)
        self.assertEqual(sent["externalRef"], order.contract_no)
        line = order.order_line.filtered("product_id")[0]
        self.assertEqual(sent["lines"][0]["material"], "MAT-3P-METER")
        self.assertEqual((line.mes_planned_qty, str(line.mes_planned_end)), (line.product_uom_qty, "2026-05-20"))
        self.assertEqual(line.mes_reported_qty, 0)

    def test_409_takes_the_existing_order(self):
        order, trap = self.signed()
        self.fake_mes.orders["MO-EXISTING"] = {
            "externalRef": order.contract_no,
            "lines": [{"lineRef": f"SOL{order.order_line[0].id}", "plannedQty": 7}],
        }
        self.fake_mes._seen_keys.add(order.contract_no)
        self.run_jobs(trap)
        self.assertEqual((order.mes_state, order.mes_order_no), ("done", "MO-EXISTING"))
        self.assertEqual(order.order_line[0].mes_planned_qty, 7)

    def test_mes_down_never_blocks_signing_and_is_retried(self):
        self.fake_mes.fail_next(1, status=503)
        order, trap = self.signed()
        self.env.flush_all()
        self.perform_jobs_round(trap)
        self.env.invalidate_all()
        message = order.sudo().mes_message_id
        self.assertEqual((order.state, message.state, order.mes_state), ("sale", "failed", "retrying"))
        self.assertIn("503", order.mes_error)
        self.run_jobs(trap)
        self.assertEqual(order.mes_state, "done")
        self.assertEqual(len(self.fake_mes.orders), 1, "one order in MES")

    def test_refused_key_leaves_the_contract_signed_with_the_error(self):
        self.mes_endpoint.api_key = "wrong"
        order, trap = self.signed()
        self.run_jobs(trap)
        self.assertEqual((order.state, order.mes_state), ("sale", "error"))
        self.assertIn("HTTP 401", order.mes_error)

    def test_progress_push_updates_quantities_dates_and_timeline(self):
        order, trap = self.signed()
        self.run_jobs(trap)
        line = order.order_line.filtered("product_id")[0]
        report = {
            "orderId": order.mes_order_no,
            "status": "IN_PROGRESS",
            "lines": [
                {"lineRef": f"SOL{line.id}", "reportedQty": 4, "plannedEnd": "2026-05-25", "reportedAt": "2026-05-10"},
                {"lineRef": "SOL999999", "reportedQty": 1},
            ],
        }
        status, body = self.push(report)
        self.assertEqual((status, body["state"], body["already_received"]), (200, "done", False))
        self.assertEqual(body["result"]["unknown_lines"], ["SOL999999"])
        self.env.invalidate_all()
        self.assertEqual((order.mes_status, line.mes_reported_qty), ("in_progress", 4))
        self.assertEqual((str(line.mes_planned_end), str(line.mes_reported_date)), ("2026-05-25", "2026-05-10"))
        self.assertEqual(line.mes_planned_qty, line.product_uom_qty, "what MES did not send stays")
        self.assertEqual(self.push(report)[1]["already_received"], True)
        timeline = order._wisdom_timeline()
        self.assertIn("Production reported", [event[1] for event in timeline])
        self.assertIn(f"4.00 / {line.product_uom_qty:,.2f}", order.timeline_html)

    def test_progress_token_body_and_unknown_order(self):
        messages = self.Message.search_count([])
        for token in (None, "wrong"):
            with self.subTest(token=token):
                self.assertEqual(self.push({"orderId": "MO-1"}, token=token)[0], 401)
        self.assertEqual(self.Message.search_count([]), messages)
        self.assertEqual(self.push(b"{x")[0], 400)
        self.assertEqual(self.push({"status": "DONE"})[0], 400)
        status, body = self.push({"orderId": "MO-NOPE", "lines": []})
        self.assertEqual((status, body["state"]), (202, "dead"))
        self.assertIn("MO-NOPE", body["error"])

    def test_roles_read_the_production_figures(self):
        order, trap = self.signed()
        self.run_jobs(trap)
        for user in (self.rep_a1, self.manager_a, self.finance, self.contract_admin):
            with self.subTest(user=user.login):
                values = order.with_user(user).read(["mes_state", "mes_order_no"])[0]
                self.assertEqual(values["mes_state"], "done")
                self.assertTrue(order.order_line.with_user(user).read(["mes_planned_qty"]))
