import unittest

from odoo.addons.wisdom_crm_base.tools import grading

RULES = [
    grading.GradeRule("A", strategic_only=True),
    grading.GradeRule("A", min_contract_amount_12m=5_000_000, min_collection_ratio=0.8, max_overdue_ratio=0.1),
    grading.GradeRule("B", min_contract_amount_12m=1_000_000, min_collection_ratio=0.6),
    grading.GradeRule("C", min_contract_amount_12m=1),
    grading.GradeRule("D"),
]


class TestGrading(unittest.TestCase):
    def _grade(self, **figures):
        return grading.evaluate(RULES, grading.GradeFigures(**figures))[0]

    def test_strategic_flag_wins(self):
        self.assertEqual(self._grade(strategic=True), "A")

    def test_boundaries(self):
        self.assertEqual(self._grade(contract_amount_12m=5_000_000, collection_ratio=0.8, overdue_ratio=0.1), "A")
        self.assertEqual(self._grade(contract_amount_12m=4_999_999.99, collection_ratio=0.8), "B")
        self.assertEqual(self._grade(contract_amount_12m=5_000_000, collection_ratio=0.8, overdue_ratio=0.11), "B")
        self.assertEqual(self._grade(contract_amount_12m=1_000_000, collection_ratio=0.59), "C")
        self.assertEqual(self._grade(contract_amount_12m=0.5), "D")
        self.assertEqual(self._grade(), "D")

    def test_no_rule_matches(self):
        grade, rule = grading.evaluate(RULES[:1], grading.GradeFigures(), default="C")
        self.assertEqual((grade, rule), ("C", None))

    def test_ratios(self):
        self.assertEqual(grading.ratios(80, 100, 10, 40), (0.8, 0.25))
        self.assertEqual(grading.ratios(10, 0, 5, 0), (0.0, 0.0))
        self.assertEqual(grading.ratios(150, 100, 0, 10), (1.0, 0.0))
