import unittest

from odoo.addons.wisdom_contract.tools import instalments as it


class TestInstalments(unittest.TestCase):
    def test_total_must_be_100(self):
        self.assertTrue(it.validate([("prepayment", 30, 0), ("delivery", 60, 30), ("retention", 10, 365)]))
        self.assertTrue(it.validate([("prepayment", 33.33, 0), ("delivery", 33.33, 0), ("acceptance", 33.34, 0)]))
        for plan in ([("prepayment", 30, 0), ("delivery", 69.99, 0)], [("prepayment", 50, 0), ("delivery", 50.01, 0)]):
            with self.assertRaises(it.InstalmentError) as caught:
                it.validate(plan)
            self.assertEqual(str(caught.exception), "total_not_100")

    def test_bad_instalments(self):
        cases = {
            "no_instalments": [],
            "percent_out_of_range": [("prepayment", 0, 0), ("delivery", 100, 0)],
            "negative_days": [("delivery", 100, -1)],
        }
        for reason, plan in cases.items():
            with self.assertRaises(it.InstalmentError) as caught:
                it.validate(plan)
            self.assertEqual(str(caught.exception), reason)
        with self.assertRaises(it.InstalmentError):
            it.validate([("delivery", 100.01, 0)])

    def test_percent_of_kind(self):
        plan = [("prepayment", 20, 0), ("prepayment", 10, 30), ("delivery", 70, 0)]
        self.assertEqual(it.percent_of(plan, "prepayment"), 30)
        self.assertEqual(it.total_percent(plan), 100)
