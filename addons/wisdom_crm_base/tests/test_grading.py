from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import WisdomRolesCase


@tagged("post_install", "-at_install")
class TestGrading(WisdomRolesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["wisdom.grade.rule"].search([]).active = False
        Rule = cls.env["wisdom.grade.rule"]
        Rule.create({"name": "Strategic", "sequence": 1, "grade": "A", "strategic_only": True})
        Rule.create({"name": "Has opportunities", "sequence": 5, "grade": "B", "min_contract_amount_12m": 0})
        cls.rule_d = Rule.create({"name": "Rest", "sequence": 9, "grade": "D"})

    def test_rules_give_grades_and_changes_are_tracked(self):
        env = self.env(context={})
        customer = env["res.partner"].create(
            {"name": "分级测试客户", "is_company": True, "wisdom_customer": True, "user_id": self.rep_a1.id}
        )
        env["crm.lead"].create(
            {"name": "商机", "partner_id": customer.id, "type": "opportunity", "user_id": self.rep_a1.id}
        )
        self.env.flush_all()
        self.env.cr.precommit.run()  # creation done: later changes are tracked
        customer.action_recompute_grade()
        self.assertEqual(customer.customer_grade, "B")  # first matching rule
        customer.strategic_customer = True
        customer.with_user(self.rep_a1).action_recompute_grade()
        self.assertEqual(customer.customer_grade, "A")
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = self.env["mail.tracking.value"].search(
            [
                ("field_id.name", "=", "customer_grade"),
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "=", customer.id),
            ]
        )
        self.assertIn("A", tracked.mapped("new_value_char"))

    def test_manual_grade_is_kept_and_needs_a_reason(self):
        customer = self.customer_a2
        with self.assertRaises(ValidationError):
            customer.write({"grade_locked": True, "customer_grade": "C"})
        customer.write({"grade_locked": True, "customer_grade": "C", "grade_lock_reason": "集团战略调整"})
        self.env["res.partner"]._cron_recompute_grades()
        self.assertEqual(customer.customer_grade, "C")
        customer.grade_locked = False
        self.env["res.partner"]._cron_recompute_grades()
        self.assertEqual(customer.customer_grade, "B")

    def test_figures_hook_counts_open_opportunities(self):
        self.leads[self.rep_a1].write({"type": "opportunity", "expected_revenue": 120000})
        figures = self.customer_a1._wisdom_customer_figures()[self.customer_a1.id]
        self.assertEqual(figures["opportunity_count"], 1)
        self.assertEqual(figures["opportunity_amount"], 120000)
        self.assertEqual(self.customer_a1.wisdom_opportunity_amount, 120000)
        for key in ("contract_amount_12m", "collected_amount_12m", "receivable_amount", "overdue_amount"):
            self.assertIn(key, figures)

    def test_grade_rules_are_configured_by_directors(self):
        Rule = self.env["wisdom.grade.rule"]
        self.assertTrue(Rule.with_user(self.rep_a1).search([]))
        with self.assertRaises(AccessError):
            Rule.with_user(self.manager_a).create({"name": "x", "grade": "C"})
        Rule.with_user(self.director).create({"name": "x", "grade": "C"})
