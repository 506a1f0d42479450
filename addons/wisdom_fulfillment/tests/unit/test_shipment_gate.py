import unittest

from odoo.addons.wisdom_fulfillment.tools import shipment_gate as gate

ALL = [
    gate.Condition("approved"),
    gate.Condition("archive"),
    gate.Condition("prepayment", percent=30),
    gate.Condition("credit_limit"),
    gate.Condition("overdue", days=30, amount=0),
]
GOOD = gate.Facts(
    approved=True,
    signed=True,
    archive_complete=True,
    contract_total=1000,
    collected=300,
    credit_limit=5000,
    customer_receivable=5000,
)


class TestShipmentGate(unittest.TestCase):
    def test_all_pass(self):
        results = gate.check(ALL, GOOD)
        self.assertTrue(gate.allowed(results), [(r.condition.kind, r.reason) for r in results])
        self.assertEqual(len(results), len(ALL))

    def test_each_condition_reports_its_reason(self):
        cases = [
            (gate.Facts(**{**GOOD.__dict__, "approved": False}), "approved", "not_approved"),
            (gate.Facts(**{**GOOD.__dict__, "signed": False}), "approved", "not_signed"),
            (gate.Facts(**{**GOOD.__dict__, "archive_complete": False}), "archive", "not_archived"),
            (gate.Facts(**{**GOOD.__dict__, "collected": 299.99}), "prepayment", "prepayment_missing"),
            (gate.Facts(**{**GOOD.__dict__, "customer_receivable": 5000.01}), "credit_limit", "over_credit_limit"),
            (gate.Facts(**{**GOOD.__dict__, "overdue_lines": ((31, 0.01),)}), "overdue", "overdue"),
        ]
        for facts, kind, reason in cases:
            results = {r.condition.kind: r for r in gate.check(ALL, facts)}
            self.assertFalse(results[kind].passed, kind)
            self.assertEqual(results[kind].reason, reason)
            self.assertEqual(sum(not r.passed for r in results.values()), 1, kind)
            self.assertFalse(gate.allowed(results.values()))

    def test_prepayment_boundaries(self):
        cond = [gate.Condition("prepayment", percent=30)]
        self.assertTrue(gate.check(cond, gate.Facts(contract_total=1000, collected=300))[0].passed)
        self.assertTrue(gate.check(cond, gate.Facts(contract_total=3, collected=0.9))[0].passed)
        result = gate.check(cond, gate.Facts(contract_total=1000, collected=0))[0]
        self.assertEqual(result.params, {"required": 30, "received": 0})
        # 0 %: the contract's own prepayment terms
        own = [gate.Condition("prepayment")]
        short = gate.Facts(contract_total=1000, collected=100, prepayment_percent=20)
        self.assertFalse(gate.check(own, short)[0].passed)
        self.assertTrue(gate.check(own, gate.Facts(**{**short.__dict__, "collected": 200}))[0].passed)
        self.assertTrue(gate.check(own, gate.Facts(contract_total=1000, prepayment_percent=0))[0].passed)

    def test_no_credit_limit_passes(self):
        result = gate.check([gate.Condition("credit_limit")], gate.Facts(customer_receivable=10**9))[0]
        self.assertTrue(result.passed)
        self.assertEqual(result.reason, "no_credit_limit")

    def test_overdue_tolerance_days_and_amount(self):
        cond = [gate.Condition("overdue", days=30, amount=100)]
        self.assertTrue(gate.check(cond, gate.Facts(overdue_lines=((30, 10**6),)))[0].passed, "30 days is tolerated")
        self.assertTrue(gate.check(cond, gate.Facts(overdue_lines=((31, 60), (90, 40))))[0].passed)
        result = gate.check(cond, gate.Facts(overdue_lines=((31, 60), (90, 40.01))))[0]
        self.assertFalse(result.passed)
        self.assertEqual(result.params["max_days"], 90)
        self.assertEqual(result.params["amount"], 100.01)
