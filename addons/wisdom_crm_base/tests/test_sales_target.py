from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import WisdomRolesCase


@tagged("post_install", "-at_install")
class TestSalesTargets(WisdomRolesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Target = cls.env["wisdom.sales.target"]
        cls.start = date.today().replace(day=1)
        cls.targets = {
            user: Target.create(
                {
                    "target_type": "user",
                    "user_id": user.id,
                    "metric": "new_customers",
                    "date_from": cls.start,
                    "target_value": 4,
                }
            )
            for user in (cls.rep_a1, cls.rep_a2, cls.rep_b1)
        }
        cls.team_target = Target.create(
            {
                "target_type": "team",
                "team_id": cls.team_a.id,
                "metric": "new_customers",
                "date_from": cls.start,
                "target_value": 10,
            }
        )

    def test_attainment_counts_new_customers_and_followups(self):
        self.assertEqual(self.targets[self.rep_a1].actual_value, 1)  # the fixture's customer
        self.assertEqual(self.targets[self.rep_a1].attainment, 25)
        self.env["res.partner"].with_user(self.rep_a1).create(
            {"name": "新开发客户有限公司", "is_company": True, "wisdom_customer": True}
        )
        self.targets[self.rep_a1].action_refresh()
        self.team_target.action_refresh()
        self.assertEqual(self.targets[self.rep_a1].actual_value, 2)
        self.assertEqual(self.team_target.actual_value, 3)
        followups = self.env["wisdom.sales.target"].create(
            {
                "user_id": self.rep_a1.id,
                "metric": "followups",
                "date_from": self.start,
                "target_value": 2,
            }
        )
        self.customer_a1.with_user(self.rep_a1).message_post(body="拜访客户", message_type="comment")
        followups.action_refresh()
        self.assertEqual(followups.actual_value, 1)
        self.assertEqual(followups.attainment, 50)

    def test_periods(self):
        target = self.env["wisdom.sales.target"].create(
            {
                "user_id": self.rep_a2.id,
                "metric": "contract_amount",
                "period_type": "quarter",
                "date_from": date(2026, 4, 1),
                "target_value": 1_000_000,
            }
        )
        self.assertEqual(target.date_to, date(2026, 6, 30))
        with self.assertRaisesRegex(ValidationError, "first day"):
            self.env["wisdom.sales.target"].create(
                {
                    "user_id": self.rep_a2.id,
                    "metric": "contract_amount",
                    "period_type": "quarter",
                    "date_from": date(2026, 5, 1),
                    "target_value": 1,
                }
            )

    def test_visibility_by_role(self):
        Target = self.env["wisdom.sales.target"]
        all_targets = Target.browse([t.id for t in self.targets.values()]) | self.team_target
        seen = {
            user: Target.with_user(user).search([("id", "in", all_targets.ids)])
            for user in (self.rep_a1, self.manager_a, self.manager_b, self.director)
        }
        self.assertEqual(seen[self.rep_a1], self.targets[self.rep_a1])
        self.assertEqual(seen[self.manager_a], self.targets[self.rep_a1] | self.targets[self.rep_a2] | self.team_target)
        self.assertEqual(seen[self.manager_b], self.targets[self.rep_b1])
        self.assertEqual(seen[self.director], all_targets)
        with self.assertRaises(AccessError):
            Target.with_user(self.manager_a).create(
                {"user_id": self.rep_a1.id, "metric": "followups", "date_from": self.start, "target_value": 5}
            )

    @freeze_time("2026-07-15")
    def test_cron_refreshes_current_targets(self):
        target = self.env["wisdom.sales.target"].create(
            {
                "user_id": self.rep_b1.id,
                "metric": "new_customers",
                "date_from": date(2026, 7, 1),
                "target_value": 1,
            }
        )
        target.actual_value = 99
        self.env["wisdom.sales.target"]._cron_refresh_actuals()
        self.assertNotEqual(target.actual_value, 99)
