"""The SAP step of shipment requests: an approved request becomes an outbound delivery of the
contract's SAP order (after that order exists), exactly once, without blocking the shipment."""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import SapBridgeCase


@tagged("post_install", "-at_install")
class TestSapDelivery(SapBridgeCase):
    def signed(self, trap):
        """A confirmed contract paid on delivery (nothing holds its shipment), its SAP order queued."""
        order = self._contract(payment_term_line_ids=[Command.create({"kind": "delivery", "percent": 100, "days": 30})])
        order.with_user(self.rep_a1).action_confirm()
        return order

    def approved_request(self, order, qty=4):
        request = (
            self.env["wisdom.shipment.request"]
            .with_user(self.rep_a1)
            .create(
                {
                    "order_id": order.id,
                    "requested_date": date(2026, 5, 4),
                    "line_ids": [Command.create({"sale_line_id": order.order_line[0].id, "quantity": qty})],
                }
            )
        )
        request.with_user(self.rep_a1).action_request()
        request.with_user(self.manager_a).action_approve()
        return request

    def test_approved_request_becomes_one_sap_delivery_then_ships(self):
        with trap_jobs() as trap:
            order = self.signed(trap)
            self.run_jobs(trap)
            request = self.approved_request(order)
            with self.assertRaisesRegex(UserError, "sends shipments to SAP"):
                request.with_user(self.rep_a1).action_wisdom_sap_send_delivery()
            request.with_user(self.manager_a).action_wisdom_sap_send_delivery()
            self.assertEqual((request.state, request.sap_delivery_state), ("sap_sent", "queued"))
            self.assertEqual(request.with_user(self.rep_a1).sap_delivery_state, "queued")
            with self.assertRaises(AccessError):
                request.with_user(self.rep_a1).read(["sap_message_id"])
            self.assertTrue(request.shipment_confirmable)
            self.run_jobs(trap)
        [(reference, number)] = self.sap.created_deliveries
        self.assertEqual(
            (reference, request.sap_delivery_no, request.sap_delivery_state), (request.name, number, "done")
        )
        [call] = self.sap.calls("ZWisdomDeliveryCreate")
        self.assertEqual(
            (call["RefDoc"], call["RefItem"], call["DlvQty"], call["DueDate"], call["ShipPoint"]),
            (order.sap_order_no, "000010", "4.000", "2026-05-04", "1000"),
        )
        request.with_user(self.rep_a1).action_confirm_shipped(ship_date=date(2026, 5, 5))
        self.assertEqual((request.state, order.order_line[0].qty_delivered), ("shipped", 4))

    def test_delivery_waits_for_the_sap_order(self):
        self.sap.next_create("fault", "fault")
        with trap_jobs() as trap:
            order = self.signed(trap)
            self.perform_jobs_round(trap)
            self.assertEqual(order.sap_state, "retrying")
            request = self.approved_request(order)
            request.with_user(self.manager_a).action_wisdom_sap_send_delivery()
            message = request.sudo().sap_message_id
            self.perform_jobs_round(trap)
            self.assertEqual(message.state, "failed")
            self.assertIn("Waiting for the SAP order", message.last_error)
            self.run_jobs(trap)
        self.assertEqual((order.sap_state, request.sap_delivery_state), ("done", "done"))
        self.assertEqual(len(self.sap.created_deliveries), 1)

    def test_delivery_keeps_waiting_for_an_order_dead_while_sap_was_down(self):
        """Its order's message died of SAP being down: the delivery is not refused for good but waits, and
        both go once the resume cron sends the order again (the bug the soak found for customers)."""
        self.sap_endpoint.max_attempts = 2
        self.sap.fail_next(2, status=503)
        with trap_jobs() as trap:
            order = self.signed(trap)
            self.run_jobs(trap)
            self.assertEqual((order.sap_state, order.sudo().sap_message_id.retries_exhausted), ("error", True))
            request = self.approved_request(order)
            request.with_user(self.manager_a).action_wisdom_sap_send_delivery()
            self.run_jobs(trap)
            message = request.sudo().sap_message_id
            self.assertEqual((message.state, message.retries_exhausted), ("dead", True))
            self.assertIn("Waiting for the SAP order", message.last_error)
            for _round in range(2):  # a probe (the order), then the rest (the delivery)
                self.Message._cron_wisdom_resume()
                self.run_jobs(trap)
        self.assertEqual((order.sap_state, request.sap_delivery_state), ("done", "done"))
        self.assertEqual((len(self.sap.created), len(self.sap.created_deliveries)), (1, 1))

    def test_lost_reply_creates_exactly_one_delivery(self):
        self.sap.delivery_modes.append("lost")
        with trap_jobs() as trap:
            order = self.signed(trap)
            self.run_jobs(trap)
            request = self.approved_request(order)
            request.with_user(self.manager_a).action_wisdom_sap_send_delivery()
            self.run_jobs(trap)
        self.assertEqual(len(self.sap.created_deliveries), 1)
        self.assertEqual(request.sap_delivery_no, self.sap.created_deliveries[0][1])
        self.assertTrue(request.sudo().sap_message_id.wisdom_response()["found_by_reference"])

    def test_refused_delivery_is_shown_and_sent_again(self):
        self.sap.delivery_modes.append("error")
        with trap_jobs() as trap:
            order = self.signed(trap)
            self.run_jobs(trap)
            request = self.approved_request(order)
            request.with_user(self.manager_a).action_wisdom_sap_send_delivery()
            self.run_jobs(trap)
            self.assertEqual(request.sap_delivery_state, "error")
            self.assertIn("not available for delivery", request.with_user(self.rep_a1).sap_delivery_error)
            request.with_user(self.manager_a).action_wisdom_sap_send_delivery()
            self.run_jobs(trap)
        self.assertEqual((request.state, request.sap_delivery_state), ("sap_sent", "done"))

    def test_sap_down_does_not_hold_the_shipment(self):
        with trap_jobs() as trap:
            order = self.signed(trap)
            self.run_jobs(trap)
            request = self.approved_request(order)
            self.sap.fail_next(10, status=503)
            request.with_user(self.manager_a).action_wisdom_sap_send_delivery()
            self.perform_jobs_round(trap)
            self.assertEqual(request.sap_delivery_state, "retrying")
            request.with_user(self.rep_a1).action_confirm_shipped()
            self.assertEqual(request.state, "shipped")
        # without any SAP endpoint, approved requests ship as before
        self.sap_endpoint.active = False
        other = self.approved_request(order, qty=2)
        with self.assertRaisesRegex(UserError, "No active SAP endpoint"):
            other.with_user(self.manager_a).action_wisdom_sap_send_delivery()
        other.with_user(self.rep_a1).action_confirm_shipped()
        self.assertEqual(other.state, "shipped")
