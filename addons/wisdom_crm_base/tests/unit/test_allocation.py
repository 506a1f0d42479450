import unittest

from odoo.addons.wisdom_crm_base.tools import allocation

HN, GD = 1, 2


class TestAllocation(unittest.TestCase):
    rules = [
        allocation.AllocationRule(1, state_ids=frozenset({HN}), categories=frozenset({"grid"}), member_ids=(11, 12)),
        allocation.AllocationRule(2, state_ids=frozenset({HN}), member_ids=(21,)),
        allocation.AllocationRule(3, member_ids=()),  # a team without reps never matches
        allocation.AllocationRule(4, member_ids=(41, 42, 43), method="round_robin"),
    ]

    def test_first_matching_rule(self):
        self.assertEqual(allocation.matching_rule(self.rules, HN, "grid").id, 1)
        self.assertEqual(allocation.matching_rule(self.rules, HN, "distributor").id, 2)
        self.assertEqual(allocation.matching_rule(self.rules, GD, "grid").id, 4)
        self.assertIsNone(allocation.matching_rule(self.rules[:3], GD, "grid"))

    def test_least_loaded_with_stable_ties(self):
        rule = self.rules[0]
        self.assertEqual(allocation.pick_user(rule, {11: 5, 12: 3}), 12)
        self.assertEqual(allocation.pick_user(rule, {11: 3, 12: 3}), 11)
        self.assertEqual(allocation.pick_user(rule, {}), 11)

    def test_round_robin(self):
        rule = self.rules[3]
        picks = []
        for __ in range(4):
            rule.last_user_id = allocation.pick_user(rule, {})
            picks.append(rule.last_user_id)
        self.assertEqual(picks, [41, 42, 43, 41])
