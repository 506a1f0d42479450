import unittest
from datetime import date
from decimal import Decimal as D

from odoo.addons.wisdom_fulfillment.tools import plan

SIGNED = date(2026, 3, 2)


def terms(*specs):
    return [plan.Instalment(i + 1, kind, D(str(percent)), days) for i, (kind, percent, days) in enumerate(specs)]


THREE = terms(("prepayment", 30, 10), ("delivery", 60, 30), ("retention", 10, 0))


class TestPercents(unittest.TestCase):
    def test_total_must_be_exactly_100(self):
        plan.check_percents([D("30"), D("60"), D("10")])
        plan.check_percents([D("33.3333"), D("33.3333"), D("33.3334")])
        for bad in ([D("30"), D("60")], [D("30"), D("60"), D("10.01")], [], [D("100"), D("0")], [D("110"), D("-10")]):
            with self.assertRaises(plan.PlanError, msg=bad):
                plan.check_percents(bad)

    def test_unknown_kind(self):
        with self.assertRaises(plan.PlanError):
            plan.generate(D("100"), terms(("gift", 100, 0)))


class TestSplit(unittest.TestCase):
    def test_remainder_on_last(self):
        self.assertEqual(plan.split(D("100.00"), [1, 1, 1]), [D("33.33"), D("33.33"), D("33.34")])
        self.assertEqual(plan.split(D("0.01"), [50, 50]), [D("0.01"), D("0.00")])
        self.assertEqual(plan.split(D("10"), [1]), [D("10.00")])
        self.assertEqual(plan.split(D("0"), [30, 70]), [D("0.00"), D("0.00")])

    def test_half_up_and_digits(self):
        self.assertEqual(plan.split(D("0.05"), [50, 50]), [D("0.03"), D("0.02")])
        self.assertEqual(plan.split(D("1001"), [1, 1], digits=0), [D("501"), D("500")])

    def test_plan_always_totals_contract(self):
        for total in (D("0.01"), D("99.99"), D("1234567.89"), D("100000000.01")):
            lines = plan.generate(
                total, terms(("prepayment", "33.3333", 0), ("delivery", "33.3333", 0), ("acceptance", "33.3334", 0))
            )
            self.assertEqual(sum(line.amount for line in lines), total)


class TestGenerate(unittest.TestCase):
    def test_at_signing_only_signing_lines_are_anchored(self):
        lines = plan.generate(D("1000"), THREE, plan.Events(signing=SIGNED, warranty_months=12))
        self.assertEqual(
            [(ln.kind, ln.amount) for ln in lines],
            [("prepayment", D("300.00")), ("delivery", D("600.00")), ("retention", D("100.00"))],
        )
        self.assertEqual(lines[0].anchor_date, SIGNED)
        self.assertEqual(lines[0].due_date, date(2026, 3, 12))
        self.assertIsNone(lines[1].due_date)
        self.assertIsNone(lines[2].due_date)

    def test_custom_and_invoice_anchors(self):
        lines = plan.generate(
            D("100"),
            terms(("custom", 50, 5), ("invoice", 50, 15)),
            plan.Events(signing=SIGNED, invoice=date(2026, 4, 1)),
        )
        self.assertEqual([ln.due_date for ln in lines], [date(2026, 3, 7), date(2026, 4, 16)])

    def test_partial_shipments_follow_shipped_value(self):
        events = plan.Events(signing=SIGNED, shipments=(plan.Shipment(7, date(2026, 4, 1), D("400")),))
        lines = plan.generate(D("1000"), THREE, events)
        delivery = [ln for ln in lines if ln.kind == "delivery"]
        self.assertEqual(
            [(ln.amount, ln.shipment_key, ln.due_date) for ln in delivery],
            [(D("240.00"), 7, date(2026, 5, 1)), (D("360.00"), None, None)],
        )
        self.assertEqual(delivery[0].percent + delivery[1].percent, D("60"))
        events = plan.Events(
            signing=SIGNED,
            shipments=(plan.Shipment(7, date(2026, 4, 1), D("400")), plan.Shipment(8, date(2026, 4, 20), D("600"))),
        )
        delivery = [ln for ln in plan.generate(D("1000"), THREE, events) if ln.kind == "delivery"]
        self.assertEqual([(ln.amount, ln.shipment_key) for ln in delivery], [(D("240.00"), 7), (D("360.00"), 8)])

    def test_shares_cumulative_rounding(self):
        parts, rest = plan.shares(D("100"), D("3"), [1, 1, 1])
        self.assertEqual((parts, rest), ([D("33.33"), D("33.34"), D("33.33")], D("0.00")))
        parts, rest = plan.shares(D("100"), D("3"), [1])
        self.assertEqual((parts, rest), ([D("33.33")], D("66.67")))
        # shipping more than the contract never gives more than the instalment
        parts, rest = plan.shares(D("100"), D("10"), [8, 8])
        self.assertEqual((parts, rest), ([D("80.00"), D("20.00")], D("0.00")))

    def test_retention_anchored_on_warranty_end(self):
        shipped = plan.Events(
            signing=SIGNED, warranty_months=12, shipments=(plan.Shipment(1, date(2026, 4, 30), D("1000")),)
        )
        retention = plan.generate(D("1000"), THREE, shipped)[-1]
        self.assertEqual(retention.anchor_date, date(2027, 4, 30))
        accepted = plan.Events(
            signing=SIGNED, warranty_months=12, acceptance=date(2026, 5, 31), shipments=shipped.shipments
        )
        retention = plan.generate(D("1000"), THREE, accepted)[-1]
        self.assertEqual(retention.anchor_date, date(2027, 5, 31))
        self.assertEqual(plan.Events(acceptance=date(2024, 2, 29), warranty_months=12).warranty_end, date(2025, 2, 28))


class TestReconcile(unittest.TestCase):
    def _stored(self, lines, paid=None):
        paid = paid or {}
        return [
            plan.ExistingLine(i + 10, ln.key, ln.amount, paid.get(ln.key, D(0)), ln.due_date, ln.anchor_date)
            for i, ln in enumerate(lines)
        ]

    def test_reanchoring_moves_due_dates_keeps_amounts(self):
        old = plan.generate(D("1000"), THREE, plan.Events(signing=SIGNED))
        stored = self._stored(old, {(1, None): D("300")})
        new = plan.generate(D("1000"), THREE, plan.Events(signing=date(2026, 3, 5)))
        changes = {c.id: c for c in plan.reconcile(stored, new)}
        self.assertEqual(changes[10].amount, D("300.00"))
        self.assertFalse(changes[10].due_date_changed, "a fully paid line keeps its due date")
        self.assertEqual(sum(c.amount for c in changes.values()), D("1000"))

    def test_paid_amount_never_shrinks(self):
        old = plan.generate(D("1000"), THREE, plan.Events(signing=SIGNED))
        stored = self._stored(old, {(1, None): D("300"), (2, None): D("100")})
        # the contract is reduced to 500: the prepayment line keeps 300 paid
        new = plan.generate(D("500"), THREE, plan.Events(signing=SIGNED))
        changes = plan.reconcile(stored, new)
        by_id = {c.id: c for c in changes}
        self.assertEqual(by_id[10].amount, D("300"))
        self.assertGreaterEqual(by_id[11].amount, D("100"))
        self.assertEqual(sum(c.amount for c in changes if c.action != "delete"), D("500"))

    def test_shipment_splits_pending_line_and_removes_unpaid_leftover(self):
        old = plan.generate(D("1000"), THREE, plan.Events(signing=SIGNED))
        stored = self._stored(old)
        shipped = plan.Events(signing=SIGNED, shipments=(plan.Shipment(5, date(2026, 4, 1), D("1000")),))
        changes = plan.reconcile(stored, plan.generate(D("1000"), THREE, shipped))
        actions = sorted((c.action, c.line.key if c.line else c.id) for c in changes)
        self.assertIn(("create", (2, 5)), actions)
        self.assertIn(("delete", 11), actions)

    def test_paid_line_without_target_is_kept(self):
        old = plan.generate(D("1000"), THREE, plan.Events(signing=SIGNED))
        stored = self._stored(old, {(2, None): D("50")})
        shipped = plan.Events(signing=SIGNED, shipments=(plan.Shipment(5, date(2026, 4, 1), D("1000")),))
        changes = plan.reconcile(stored, plan.generate(D("1000"), THREE, shipped))
        kept = [c for c in changes if c.action == "keep"]
        self.assertEqual([(c.id, c.amount) for c in kept], [(11, D("50"))])
        self.assertEqual(sum(c.amount for c in changes if c.action != "delete"), D("1000"))

    def test_payments_above_new_total_refused(self):
        old = plan.generate(D("1000"), THREE, plan.Events(signing=SIGNED))
        stored = self._stored(old, {(1, None): D("300"), (2, None): D("600"), (3, None): D("100")})
        with self.assertRaises(plan.PlanError):
            plan.reconcile(stored, plan.generate(D("900"), THREE, plan.Events(signing=SIGNED)))
