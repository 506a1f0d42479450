from datetime import date

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import FulfilmentCase


@tagged("post_install", "-at_install")
class TestShipment(FulfilmentCase):
    def _request(self, order, qty=10, user=None):
        return (
            self.env["wisdom.shipment.request"]
            .with_user(user or order.user_id)
            .create(
                {
                    "order_id": order.id,
                    "line_ids": [Command.create({"sale_line_id": order.order_line[0].id, "quantity": qty})],
                }
            )
        )

    def test_blocked_until_prepayment_received_then_allowed(self):
        order = self._contract()
        self.assertFalse(order.shipment_allowed)
        self.assertIn("Prepayment missing", str(order.shipment_check_html))
        request = self._request(order)
        with self.assertRaisesRegex(UserError, "Prepayment missing"):
            request.action_request()
        self._collect(order, 200)
        order.invalidate_recordset(["shipment_allowed"])
        self.assertFalse(order.shipment_allowed, "200 of the 300 prepayment is not enough")
        self._collect(order, 100)
        order.invalidate_recordset(["shipment_allowed", "shipment_check_html"])
        self.assertTrue(order.shipment_allowed, order.shipment_check_html)
        request.action_request()
        self.assertEqual(request.state, "requested")

    def test_overdue_of_the_customer_blocks_other_contracts(self):
        old = self._contract(terms=[("prepayment", 100, 0)], signed_date=date(2025, 1, 2))
        self.assertTrue(old.plan_line_ids.due_date < date.today())
        self.conditions.filtered(lambda c: c.kind == "overdue").days = 30
        new = self._contract(terms=[("delivery", 100, 0)])
        results = {r.condition.kind: r for r in new._wisdom_shipment_check()}
        self.assertFalse(results["overdue"].passed)
        self.assertTrue(results["prepayment"].passed, "no prepayment terms: nothing to wait for")

    def test_credit_limit(self):
        order = self._contract(terms=[("delivery", 100, 0)])
        customer = order.partner_id
        self._contract(terms=[("prepayment", 100, 30)])  # 1000 receivable, not yet overdue
        customer.write({"use_partner_credit_limit": True, "credit_limit": 500})
        results = {r.condition.kind: r for r in order._wisdom_shipment_check()}
        self.assertFalse(results["credit_limit"].passed)
        customer.credit_limit = 1000
        results = {r.condition.kind: r for r in order._wisdom_shipment_check()}
        self.assertTrue(results["credit_limit"].passed)

    def test_director_override_is_logged(self):
        order = self._contract()
        request = self._request(order)
        with self.assertRaises(UserError):
            request.action_override("客户急需")
        with self.assertRaises(UserError):
            request.with_user(self.director).action_override("  ")
        request.with_user(self.director).action_override("客户急需，总监担保")
        self.assertEqual(request.state, "requested")
        self.assertEqual(request.overridden_by_id, self.director)
        self.assertTrue(request.message_ids.filtered(lambda m: "客户急需" in (m.body or "")))

    def test_states_and_partial_shipment(self):
        order = self._contract(terms=[("delivery", 100, 10)])
        request = self._request(order, qty=6)
        request.action_request()
        with self.assertRaises(UserError):
            request.with_user(self.rep_a1).action_approve()
        request.with_user(self.manager_a).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertTrue(request.shipment_confirmable)
        self.assertFalse(hasattr(request, "action_send_sap"), "no SAP step without the SAP bridge")
        self.assertNotIn("sent", dict(request._fields["state"].selection))
        request.line_ids.shipped_qty = 7
        with self.assertRaises(UserError):
            request.action_confirm_shipped(ship_date=date(2026, 4, 1))
        request.line_ids.shipped_qty = 5
        request.action_confirm_shipped(ship_date=date(2026, 4, 1))
        self.assertEqual(request.state, "shipped")
        self.assertEqual(order.order_line.qty_delivered, 5)
        self.assertEqual(order.shipped_amount, 500.0)
        self.assertEqual(sorted(order.plan_line_ids.mapped("amount")), [500.0, 500.0])
        with self.assertRaises(UserError):
            request.action_cancel()
        too_much = self._request(order, qty=6)
        with self.assertRaises(UserError):
            too_much.action_request()
        self.assertIn("Shipped", str(order.timeline_html))

    def test_request_button_from_contract(self):
        order = self._contract(terms=[("delivery", 100, 0)])
        action = order.with_user(self.rep_a1).action_wisdom_new_shipment()
        request = self.env["wisdom.shipment.request"].browse(action["res_id"])
        self.assertEqual(request.line_ids.quantity, 10)
        self.assertEqual(request.line_ids.shipped_qty, 10, "shipped defaults to the quantity to ship")
        request.line_ids.quantity = 4
        self.assertEqual(request.line_ids.shipped_qty, 4)
        self.assertTrue(request.name.startswith("FH"))

    def test_status_changes_only_through_the_buttons(self):
        order = self._contract(terms=[("delivery", 100, 0)])
        request = self._request(order)
        with self.assertRaises(UserError):
            request.write({"state": "approved"})
        with self.assertRaises(UserError):
            request.with_user(self.rep_a1).write({"overridden_by_id": self.rep_a1.id})
        self.assertEqual(request.state, "draft")

    def test_cancelled_contract_drops_its_uncollected_plan(self):
        order = self._contract(terms=[("prepayment", 50, 0), ("delivery", 50, 0)])
        self._collect(order, 100)
        order._action_cancel()
        self.assertEqual(order.plan_line_ids.mapped("paid_amount"), [100.0])
