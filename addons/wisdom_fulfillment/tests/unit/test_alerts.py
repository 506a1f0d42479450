import unittest
from datetime import date, timedelta

from odoo.addons.wisdom_fulfillment.tools import alerts

TODAY = date(2026, 6, 15)


def line(days_to_due, kind="delivery", residual=100.0, level_sent=0, upcoming_sent=False):
    return alerts.AlertLine(1, kind, TODAY + timedelta(days=days_to_due), residual, level_sent, upcoming_sent)


class TestAlerts(unittest.TestCase):
    def test_levels(self):
        due = TODAY
        self.assertEqual(alerts.overdue_level(due, TODAY), 0)
        self.assertEqual(alerts.overdue_level(due, TODAY + timedelta(days=1)), 1)
        self.assertEqual(alerts.overdue_level(due, TODAY + timedelta(days=29)), 1)
        self.assertEqual(alerts.overdue_level(due, TODAY + timedelta(days=30)), 30)
        self.assertEqual(alerts.overdue_level(due, TODAY + timedelta(days=89)), 30)
        self.assertEqual(alerts.overdue_level(due, TODAY + timedelta(days=90)), 90)
        self.assertEqual(alerts.overdue_level(None, TODAY), 0)

    def test_upcoming_window(self):
        self.assertEqual(alerts.alert_for(line(7), TODAY).alert, "upcoming")
        self.assertEqual(alerts.alert_for(line(0), TODAY).alert, "upcoming")
        self.assertIsNone(alerts.alert_for(line(8), TODAY))
        self.assertIsNone(alerts.alert_for(line(3, upcoming_sent=True), TODAY))
        self.assertEqual(alerts.alert_for(line(10), TODAY, upcoming_days=10).alert, "upcoming")

    def test_retention_window(self):
        self.assertEqual(alerts.alert_for(line(30, "retention"), TODAY).alert, "retention")
        self.assertIsNone(alerts.alert_for(line(31, "retention"), TODAY))
        self.assertEqual(alerts.alert_for(line(45, "retention"), TODAY, retention_days=45).alert, "retention")

    def test_overdue_escalation_once_per_level(self):
        first = alerts.alert_for(line(-1), TODAY)
        self.assertEqual((first.alert, first.level, first.escalation), ("overdue", 1, 0))
        self.assertIsNone(alerts.alert_for(line(-29, level_sent=1), TODAY))
        second = alerts.alert_for(line(-30, level_sent=1), TODAY)
        self.assertEqual((second.level, second.escalation), (30, 1))
        third = alerts.alert_for(line(-90, level_sent=30), TODAY)
        self.assertEqual((third.level, third.escalation), (90, 2))
        self.assertIsNone(alerts.alert_for(line(-400, level_sent=90), TODAY))

    def test_missed_runs_send_only_highest_level(self):
        alert = alerts.alert_for(line(-95), TODAY)
        self.assertEqual((alert.level, alert.escalation), (90, 2))

    def test_paid_or_unanchored_lines_get_nothing(self):
        self.assertIsNone(alerts.alert_for(line(-5, residual=0), TODAY))
        self.assertIsNone(alerts.alert_for(alerts.AlertLine(1, "delivery", None, 100), TODAY))

    def test_batch(self):
        lines = [line(-1), line(100), line(3)]
        self.assertEqual([a.alert for a in alerts.alerts_for(lines, TODAY)], ["overdue", "upcoming"])

    def test_line_state(self):
        self.assertEqual(alerts.line_state(TODAY, TODAY, 10, 0), "due")
        self.assertEqual(alerts.line_state(TODAY, TODAY + timedelta(days=1), 10, 0), "overdue")
        self.assertEqual(alerts.line_state(TODAY, TODAY, 10, 5), "partial")
        self.assertEqual(alerts.line_state(None, TODAY, 10, 0), "planned")
        self.assertEqual(alerts.line_state(TODAY, TODAY, 0, 10), "paid")
        self.assertEqual(alerts.overdue_days(TODAY, TODAY + timedelta(days=3)), 3)
        self.assertEqual(alerts.overdue_days(TODAY, TODAY - timedelta(days=3)), 0)
