from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import FulfilmentCase


@tagged("post_install", "-at_install")
class TestAlerts(FulfilmentCase):
    def setUp(self):
        super().setUp()
        self.order = self._contract(terms=[("prepayment", 30, 10), ("acceptance", 60, 0), ("retention", 10, 0)])
        self.line = self._lines(self.order, "prepayment")  # due 2026-03-12
        self.Line = self.env["wisdom.collection.plan.line"]
        self.alert_type = self.env.ref("wisdom_fulfillment.mail_activity_collection_alert")

    def _run(self, day):
        with freeze_time(day):
            self.Line._cron_collection_alerts()
        self.env.invalidate_all()

    def _activities(self, line):
        return self.env["mail.activity"].search(
            [("res_model", "=", line._name), ("res_id", "=", line.id), ("activity_type_id", "=", self.alert_type.id)],
            order="id",
        )

    def test_upcoming_then_overdue_escalates_once_per_level(self):
        self._run("2026-03-04")
        self.assertFalse(self._activities(self.line), "9 days before due: nothing yet")
        self._run("2026-03-05")
        self.assertEqual(self._activities(self.line).user_id, self.rep_a1)
        self._run("2026-03-06")
        self.assertEqual(len(self._activities(self.line)), 1, "no duplicate on re-run")
        self._run("2026-03-13")
        self.assertEqual(self.line.state, "overdue")
        self.assertEqual(self.line.overdue_days, 1)
        self.assertEqual(self._activities(self.line)[-1].user_id, self.rep_a1)
        self._run("2026-03-14")
        self.assertEqual(len(self._activities(self.line)), 2)
        self._run("2026-04-11")
        self.assertEqual(self._activities(self.line)[-1].user_id, self.manager_a, "30 days: the manager")
        self._run("2026-06-10")
        self.assertEqual(self._activities(self.line)[-1].user_id, self.director, "90 days: the director")
        self._run("2026-06-11")
        self._run("2027-01-01")
        self.assertEqual(len(self._activities(self.line)), 4)
        self.assertEqual(self.line.alert_level, 90)
        # the contract's stored figures are those of the last nightly run
        self.assertEqual((self.order.overdue_days, self.order.overdue_amount), (295, 300.0))
        self._run("2026-06-11")
        self.assertEqual((self.order.overdue_days, self.order.overdue_amount), (91, 300.0))

    def test_retention_alert_to_rep_and_finance(self):
        self.order.acceptance_date = date(2026, 4, 1)
        retention = self._lines(self.order, "retention")
        self.assertEqual(retention.due_date, date(2027, 4, 1))
        self._run("2027-03-01")
        self.assertFalse(self._activities(retention))
        self._run("2027-03-02")
        users = self._activities(retention).user_id
        self.assertLessEqual(self.rep_a1 | self.finance, users)
        self._run("2027-03-03")
        self.assertEqual(self._activities(retention).user_id, users, "no duplicate on re-run")

    def test_paid_lines_get_no_alert(self):
        self._collect(self.order, 300)
        self._run("2026-03-20")
        self.assertFalse(self._activities(self.line))
        self.assertEqual(self.line.state, "paid")

    def test_a_failing_batch_does_not_stop_the_others(self):
        other = self._contract(terms=[("prepayment", 100, 10)])
        other_line = other.plan_line_ids
        Line = type(self.Line)
        original = Line._wisdom_send_alerts

        def send(lines, batch):
            if self.line in lines:
                raise ValueError("broken mail server")
            return original(lines, batch)

        with (
            patch.object(Line, "_wisdom_send_alerts", send),
            patch("odoo.addons.wisdom_fulfillment.models.wisdom_collection_plan_line_alerts.ALERT_BATCH", 1),
            self.assertLogs("odoo.addons.wisdom_fulfillment.models.wisdom_collection_plan_line_alerts", "ERROR"),
        ):
            self._run("2026-03-13")
        self.assertFalse(self._activities(self.line))
        self.assertEqual(self.line.alert_level, 0, "retried on the next run")
        self.assertTrue(self._activities(other_line))
