import unittest
from datetime import date

from odoo.addons.wisdom_crm_base.tools import pool_policy as policy

TODAY = date(2026, 3, 10)


class TestClaimLimits(unittest.TestCase):
    def _check(self, limits, **context):
        policy.check_claim(limits, policy.ClaimContext(today=TODAY, **context))

    def test_no_limits(self):
        self._check(policy.PoolLimits(), claims_today=100, private_customers=1000)

    def test_daily_limit_boundary(self):
        limits = policy.PoolLimits(daily_claim_limit=5)
        self._check(limits, claims_today=4)
        with self.assertRaises(policy.ClaimRefused) as caught:
            self._check(limits, claims_today=5)
        self.assertEqual(caught.exception.code, "daily_limit")
        self.assertEqual(caught.exception.params, {"limit": 5})

    def test_holding_limit_boundary(self):
        limits = policy.PoolLimits(max_private_customers=50)
        self._check(limits, private_customers=49)
        with self.assertRaises(policy.ClaimRefused) as caught:
            self._check(limits, private_customers=50)
        self.assertEqual(caught.exception.code, "holding_limit")

    def test_cooling_applies_to_previous_owner_only(self):
        limits = policy.PoolLimits(cooling_days=30)
        released = date(2026, 2, 10)  # 28 days before TODAY
        self._check(limits, previous_owner=False, released_on=released)
        with self.assertRaises(policy.ClaimRefused) as caught:
            self._check(limits, previous_owner=True, released_on=released)
        self.assertEqual(caught.exception.params["allowed_from"], date(2026, 3, 12))
        self._check(limits, previous_owner=True, released_on=date(2026, 2, 8))  # exactly 30 days


class TestReclaim(unittest.TestCase):
    def test_no_followup_counts_from_latest_of_owner_since_and_followup(self):
        rule = policy.ReclaimRule(no_followup_days=30)
        due = policy.reclaim_due(rule, owner_since=date(2026, 1, 1), last_followup=date(2026, 2, 1))
        self.assertEqual((due.due_on, due.reason), (date(2026, 3, 3), "no_followup"))
        due = policy.reclaim_due(rule, owner_since=date(2026, 2, 15), last_followup=date(2026, 2, 1))
        self.assertEqual(due.due_on, date(2026, 3, 17))

    def test_earliest_condition_wins(self):
        rule = policy.ReclaimRule(no_followup_days=30, no_deal_days=20)
        due = policy.reclaim_due(rule, owner_since=date(2026, 1, 1), last_followup=date(2026, 1, 25))
        self.assertEqual((due.due_on, due.reason), (date(2026, 1, 21), "no_deal"))

    def test_exempt_and_empty_rules_never_reclaim(self):
        self.assertIsNone(policy.reclaim_due(policy.ReclaimRule(no_followup_days=5, exempt=True), date(2026, 1, 1)))
        self.assertIsNone(policy.reclaim_due(policy.ReclaimRule(), date(2026, 1, 1)))

    def test_warning_day(self):
        rule = policy.ReclaimRule(no_followup_days=30, warning_days=7)
        due = policy.reclaim_due(rule, owner_since=date(2026, 1, 1))
        self.assertEqual(policy.warning_on(rule, due), date(2026, 1, 24))
        self.assertIsNone(policy.warning_on(policy.ReclaimRule(no_followup_days=30), due))
