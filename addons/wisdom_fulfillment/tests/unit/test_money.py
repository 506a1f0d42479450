import unittest
from datetime import date, timedelta
from decimal import Decimal

from odoo.addons.wisdom_fulfillment.tools import money

TODAY = date(2026, 6, 15)
D = Decimal


def line(amount, days_to_due=None, paid=0, disposed=0, kind="delivery"):
    due = TODAY + timedelta(days=days_to_due) if days_to_due is not None else None
    return money.MoneyLine(D(str(amount)), D(str(paid)), D(str(disposed)), due, kind)


class TestMoneyRules(unittest.TestCase):
    def test_outstanding_never_negative(self):
        self.assertEqual(money.outstanding(line(100, paid=30, disposed=20)), D("50.00"))
        self.assertEqual(money.outstanding(line(100, paid=120)), D(0))
        self.assertEqual(money.outstanding(money.MoneyLine(0.1 + 0.2, 0.3)), D(0), "float noise is rounded away")

    def test_receivable_is_due_now(self):
        self.assertTrue(money.is_receivable(line(100, 0), TODAY), "due today is receivable")
        self.assertTrue(money.is_receivable(line(100, -1), TODAY))
        self.assertFalse(money.is_receivable(line(100, 1), TODAY), "due tomorrow is not receivable yet")
        self.assertFalse(money.is_receivable(line(100), TODAY), "event not happened: no due date")
        self.assertFalse(money.is_receivable(line(100, -5, paid=100), TODAY), "collected")

    def test_overdue_from_the_day_after_due(self):
        self.assertFalse(money.is_overdue(line(100, 0), TODAY))
        self.assertTrue(money.is_overdue(line(100, -1), TODAY))
        self.assertEqual(money.overdue_days(line(100, -30), TODAY), 30)
        self.assertEqual(money.overdue_days(line(100, -30, disposed=100), TODAY), 0, "written off: not late")

    def test_ageing_buckets_of_overdue_lines(self):
        self.assertIsNone(money.ageing_bucket(line(100, 0), TODAY), "due today is not overdue")
        self.assertIsNone(money.ageing_bucket(line(100, -40, paid=100), TODAY), "collected")
        self.assertIsNone(money.ageing_bucket(line(100), TODAY))
        for days, bucket in (
            (1, "0_30"),
            (30, "0_30"),
            (31, "31_90"),
            (90, "31_90"),
            (91, "91_180"),
            (180, "91_180"),
            (181, "over_180"),
            (2000, "over_180"),
        ):
            self.assertEqual(money.ageing_bucket(line(100, -days), TODAY), bucket, days)

    def test_retention_shown_apart_until_due(self):
        pending = line(200, 700, kind="retention")
        self.assertTrue(money.is_retention_pending(pending, TODAY))
        self.assertFalse(money.is_receivable(pending, TODAY))
        self.assertTrue(money.is_retention_pending(line(200, kind="retention"), TODAY), "warranty not started")
        due = line(200, 0, kind="retention")
        self.assertFalse(money.is_retention_pending(due, TODAY))
        self.assertTrue(money.is_receivable(due, TODAY))

    def test_figures_of_the_issue_contract_after_shipment(self):
        lines = [
            line("6319.63", -30, paid="6319.63", kind="prepayment"),
            line("12639.26", 0),
            line("2106.55", 730, kind="retention"),
        ]
        figures = money.figures(lines, TODAY)
        self.assertEqual(
            figures, money.Figures(D("14745.81"), D("12639.26"), D(0), 0, D("2106.55"), TODAY + timedelta(days=730))
        )
        late = money.figures(lines, TODAY + timedelta(days=10))
        self.assertEqual((late.receivable, late.overdue, late.overdue_days), (D("12639.26"), D("12639.26"), 10))

    def test_forecast_by_month_of_due_date(self):
        lines = [
            line(100, -20),
            line(50, 0),
            line(30, 20),
            line(70),
            line(10, 20, paid=10),
            line(40, 400, kind="retention"),
        ]
        self.assertEqual(
            money.forecast(lines),
            {date(2026, 5, 1): D(100), date(2026, 6, 1): D(50), date(2026, 7, 1): D(30), date(2027, 7, 1): D(40)},
        )
