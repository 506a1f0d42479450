import unittest
from datetime import date
from decimal import Decimal as D

from odoo.addons.wisdom_fulfillment.tools import allocation

LINES = [
    allocation.OpenLine(3, date(2026, 5, 1), D("500")),
    allocation.OpenLine(1, date(2026, 3, 1), D("300")),
    allocation.OpenLine(2, None, D("1000")),
    allocation.OpenLine(4, date(2026, 3, 1), D("0")),
]


class TestAllocation(unittest.TestCase):
    def test_fifo_by_due_date(self):
        self.assertEqual(allocation.suggest(D("600"), LINES), [(1, D("300.00")), (3, D("300.00"))])
        self.assertEqual(allocation.suggest(D("300"), LINES), [(1, D("300.00"))])
        self.assertEqual(allocation.suggest(D("2000"), LINES), [(1, D("300.00")), (3, D("500.00")), (2, D("1000.00"))])
        self.assertEqual(allocation.suggest(D("0"), LINES), [])
        self.assertEqual(allocation.suggest(D("0.01"), LINES), [(1, D("0.01"))])

    def test_named_lines_first(self):
        """A receipt naming a contract pays its instalments first, FIFO among them, then the rest."""
        self.assertEqual(allocation.suggest(D("600"), LINES, first=[2]), [(2, D("600.00"))])
        self.assertEqual(
            allocation.suggest(D("1600"), LINES, first=[3, 2]), [(3, D("500.00")), (2, D("1000.00")), (1, D("100.00"))]
        )

    def test_never_over_payment_or_residual(self):
        residuals = {1: D("300"), 3: D("500")}
        self.assertEqual(allocation.check(D("800"), 0, [(1, D("300")), (3, D("500"))], residuals), D("0.00"))
        self.assertEqual(allocation.check(D("800"), D("100"), [(1, D("300"))], residuals), D("400.00"))
        with self.assertRaises(allocation.AllocationError):
            allocation.check(D("800"), D("0.01"), [(1, D("300")), (3, D("500"))], residuals)
        with self.assertRaises(allocation.AllocationError):
            allocation.check(D("1000"), 0, [(1, D("300.01"))], residuals)
        with self.assertRaises(allocation.AllocationError):
            allocation.check(D("1000"), 0, [(1, D("200")), (1, D("100.01"))], residuals)
        with self.assertRaises(allocation.AllocationError):
            allocation.check(D("1000"), 0, [(1, D("0"))], residuals)
        with self.assertRaises(allocation.AllocationError):
            allocation.check(D("1000"), 0, [(9, D("1"))], residuals)
