from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SIGNED, FulfilmentCase


@tagged("post_install", "-at_install")
class TestCollectionPlan(FulfilmentCase):
    def test_plan_generated_at_signing(self):
        order = self._contract(price=333.33, qty=3)  # 999.99: rounding remainder on the last line
        lines = self._lines(order)
        self.assertEqual(lines.mapped("kind"), ["prepayment", "delivery", "retention"])
        self.assertEqual(lines.mapped("amount"), [300.0, 599.99, 100.0])
        self.assertAlmostEqual(sum(lines.mapped("amount")), order.amount_total, places=2)
        self.assertEqual(lines[0].due_date, date(2026, 3, 12))
        self.assertFalse(lines[1].due_date, "delivery instalments wait for a shipment")
        self.assertFalse(lines[2].due_date, "retention waits for the warranty end")
        self.assertEqual(set(lines.mapped("user_id")), {self.rep_a1})
        self.assertEqual(order.execution_state, "not_started")
        self.assertTrue(order.message_ids.filtered(lambda m: "Collection plan generated" in (m.body or "")))

    def test_terms_must_total_100(self):
        bad = self._contract(terms=[("prepayment", 50, 0), ("delivery", 40, 0)], confirm=False)
        with self.assertRaises(UserError):
            bad.action_confirm()

    def test_partial_shipment_anchors_its_share(self):
        order = self._contract()
        self._ship(order, 4, date(2026, 4, 1))
        self.assertEqual(order.order_line.qty_delivered, 4)
        delivery = self._lines(order, "delivery").sorted("amount")
        self.assertEqual(delivery.mapped("amount"), [240.0, 360.0])
        shipped, pending = delivery
        self.assertEqual(shipped.due_date, date(2026, 5, 1))
        self.assertTrue(shipped.shipment_id)
        self.assertFalse(pending.due_date)
        [note] = order.message_ids.filtered(
            lambda m: "new instalment" in (m.body or "") and "2026-05-01" in (m.body or "")
        )
        self.assertIn("240.00", note.body, "the amount as money (currency, two decimals), not 240.0")
        self.assertEqual(order.shipped_percent, 40.0)
        self.assertEqual(order.execution_state, "shipping")
        self._ship(order, 6, date(2026, 4, 20))
        delivery = self._lines(order, "delivery")
        self.assertEqual(sorted(delivery.mapped("amount")), [240.0, 360.0])
        self.assertTrue(all(delivery.mapped("due_date")), "the pending line is gone once all is shipped")
        retention = self._lines(order, "retention")
        self.assertEqual(retention.due_date, date(2027, 4, 20), "warranty ends 12 months after the last shipment")
        self.assertAlmostEqual(sum(order.plan_line_ids.mapped("amount")), 1000.0)

    def test_invoice_anchors_invoice_lines(self):
        order = self._contract(terms=[("prepayment", 20, 0), ("invoice", 80, 15)])
        invoice = order._create_invoices()
        invoice.invoice_date = date(2026, 4, 10)
        invoice.action_post()
        line = self._lines(order, "invoice")
        self.assertEqual(line.due_date, date(2026, 4, 25))
        self.assertEqual(order.invoiced_amount, 1000.0)
        self.assertEqual(order.invoiced_percent, 100.0)

    def test_acceptance_reanchors_without_touching_paid_amounts(self):
        order = self._contract(terms=[("prepayment", 30, 0), ("acceptance", 60, 10), ("retention", 10, 0)])
        self._collect(order, 300)
        prepayment = self._lines(order, "prepayment")
        self.assertEqual(prepayment.paid_amount, 300.0)
        order.acceptance_date = date(2026, 6, 1)
        acceptance = self._lines(order, "acceptance")
        self.assertEqual(acceptance.due_date, date(2026, 6, 11))
        self.assertEqual(self._lines(order, "retention").due_date, date(2027, 6, 1))
        order.acceptance_date = date(2026, 6, 5)
        self.assertEqual(acceptance.due_date, date(2026, 6, 15))
        self.assertTrue(
            order.message_ids.filtered(lambda m: "2026-06-11" in (m.body or "") and "2026-06-15" in (m.body or "")),
            "old → new due date logged",
        )
        self.assertEqual(prepayment.paid_amount, 300.0)
        self.assertEqual(prepayment.amount, 300.0)
        order.signed_date = date(2026, 3, 20)
        self.assertEqual(prepayment.due_date, SIGNED, "a paid line keeps its due date")

    def test_finance_adjusts_with_reason_still_totalling_the_contract(self):
        order = self._contract()
        prepayment = self._lines(order, "prepayment")
        wizard = self.env["wisdom.plan.adjust.wizard"].with_user(self.finance)
        wizard.create(
            {
                "plan_line_id": prepayment.id,
                "mode": "split",
                "amount": 100,
                "due_date": date(2026, 4, 30),
                "reason": "客户申请分两次付",
            }
        ).action_apply()
        self.assertEqual(sorted(self._lines(order, "prepayment").mapped("amount")), [100.0, 200.0])
        self.assertAlmostEqual(sum(order.plan_line_ids.mapped("amount")), 1000.0)
        wizard.create(
            {"plan_line_id": prepayment.id, "mode": "move", "due_date": date(2026, 3, 31), "reason": "延期"}
        ).action_apply()
        self.assertEqual(prepayment.due_date, date(2026, 3, 31))
        self._ship(order, 10, date(2026, 4, 1))  # a recompute keeps finance's changes
        self.assertEqual(prepayment.due_date, date(2026, 3, 31))
        self.assertEqual(sorted(self._lines(order, "prepayment").mapped("amount")), [100.0, 200.0])
        self.assertAlmostEqual(sum(order.plan_line_ids.mapped("amount")), 1000.0)
        with self.assertRaises(UserError):
            prepayment.with_user(self.finance)._wisdom_move_due_date(date(2026, 5, 1), " ")
        with self.assertRaises(UserError):
            prepayment.with_user(self.rep_a1)._wisdom_move_due_date(date(2026, 5, 1), "rep")
