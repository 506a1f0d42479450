from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import WisdomContractCase


@tagged("post_install", "-at_install")
class TestReviewFindings(WisdomContractCase):
    def test_live_findings_of_a_draft_as_data(self):
        order = self._contract(lines=[(self.meter, 10, 450.0), (self.custom, 1, 2000.0)])
        findings = order.with_user(self.rep_a1).wisdom_review_findings()
        self.assertEqual([f["result"] for f in findings][:2], ["approval", "approval"], "approvals before passes")
        by_rule = {f["rule_id"]: f for f in findings}
        floor = by_rule[self.rule_floor.id]
        self.assertEqual(
            (floor["approver_role"], floor["observed"], floor["threshold"], floor["product"]),
            ("director", 450.0, 500.0, self.meter.display_name),
        )
        self.assertEqual(floor["line_id"], order.order_line[0].id)
        self.assertIn("450.00", floor["message"])
        self.assertEqual(by_rule[self.rule_nonstandard.id]["approver_role"], "product_manager")
        self.assertEqual(by_rule[self.rule_credit.id]["result"], "pass")
        self.assertFalse(order.review_line_ids, "nothing is stored before submission")
        chinese = order.with_user(self.rep_a1).with_context(lang="zh_CN").wisdom_review_findings()
        self.assertIn("底价", {f["rule_id"]: f for f in chinese}[self.rule_floor.id]["message"])
        order.order_line[0].price_unit = 550.0
        findings = order.with_user(self.rep_a1).wisdom_review_findings()
        self.assertEqual(
            {f["rule_id"]: f for f in findings}[self.rule_floor.id]["result"],
            "pass",
            "the findings follow the contract as it is edited",
        )

    def test_approver_is_told_what_happened_and_findings_stay_after_confirmation(self):
        order = self._contract(lines=[(self.meter, 10, 450.0), (self.custom, 1, 2000.0)])
        order.with_user(self.rep_a1).action_wisdom_submit_review()
        first = order.with_user(self.product_manager).with_context(lang="zh_CN").validate_tier()
        self.assertEqual(first["tag"], "display_notification")
        self.assertIn("总监", first["params"]["message"], "the director is next")
        done = order.with_user(self.director).validate_tier()
        self.assertIn("is approved", done["params"]["message"])
        order.with_user(self.rep_a1).action_confirm()
        html = str(order.with_user(self.rep_a1).review_findings_html)
        self.assertIn("text-bg-warning", html, "the findings that needed approval stay visible")
        self.assertIn("<details>", html, "passed checks are folded")
        self.assertLess(html.index("text-bg-warning"), html.index("<details>"), "problems first")

    def test_restart_only_for_who_may(self):
        order = self._contract(lines=[(self.meter, 10, 450.0)])
        order.with_user(self.rep_a1).action_wisdom_submit_review()
        self.assertFalse(order.with_user(self.finance).wisdom_can_restart_review)
        self.assertFalse(order.with_user(self.product_manager).wisdom_can_restart_review)
        with self.assertRaises(UserError):
            order.with_user(self.finance).restart_validation()
        self.assertTrue(order.review_ids)
        self.assertTrue(order.with_user(self.rep_a1).wisdom_can_restart_review)
        self.assertTrue(order.with_user(self.director).wisdom_can_restart_review)
        arch = order.with_user(self.finance).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("wisdom_can_restart_review", arch if isinstance(arch, str) else arch.decode())
        self.assertTrue(order.with_user(self.rep_a1).restart_validation())
        self.assertFalse(order.review_ids)

    def test_stored_findings_are_worded_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        order = self._contract(lines=[(self.meter, 10, 450.0)])
        order.with_user(self.rep_a1).with_context(lang="zh_CN").action_wisdom_submit_review()
        floor = order.review_line_ids.filtered(lambda f: f.rule_id == self.rule_floor)
        self.assertEqual(floor.message_code, "price_floor", "a code is stored, not a text")
        self.assertEqual(
            floor.message_params, {"product": self.meter.display_name, "observed": 450.0, "threshold": 500.0}
        )
        self.assertEqual(
            floor.with_context(lang="en_US").message,
            f"{self.meter.display_name}: unit price 450.00 is below the floor price 500.00.",
        )
        floor.invalidate_recordset()
        self.assertIn("底价", floor.with_context(lang="zh_CN").message)
        self.assertIn("below the floor price", str(order.with_context(lang="en_US").review_findings_html))
        order.invalidate_recordset()
        html = str(order.with_context(lang="zh_CN").review_findings_html)
        self.assertIn("低于底价", html)
        self.assertNotIn("below the floor price", html)

    def test_live_findings_carry_code_and_parameters(self):
        order = self._contract(lines=[(self.meter, 10, 450.0)])
        floor = {f["rule_id"]: f for f in order.with_user(self.rep_a1).wisdom_review_findings()}[self.rule_floor.id]
        self.assertEqual(floor["message_code"], "price_floor")
        self.assertEqual(
            floor["message_params"], {"product": self.meter.display_name, "observed": 450.0, "threshold": 500.0}
        )
        passed = {f["rule_id"]: f for f in order.with_user(self.rep_a1).wisdom_review_findings()}[self.rule_credit.id]
        self.assertEqual((passed["message_code"], passed["message"]), ("pass", "Checked: no finding."))

    def test_blocking_reasons_in_the_callers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        order = self._contract()
        self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": order.partner_id.id,
                "invoice_date": "2024-01-01",
                "invoice_date_due": "2024-01-31",
                "invoice_line_ids": [Command.create({"name": "Old meters", "quantity": 1, "price_unit": 20000.0})],
            }
        ).action_post()
        with self.assertRaisesRegex(UserError, "客户有逾期应收账款 20,000.00"):
            order.with_user(self.rep_a1).with_context(lang="zh_CN").action_wisdom_submit_review()
        with self.assertRaisesRegex(UserError, "The customer has 20,000.00 overdue receivable"):
            order.with_user(self.rep_a1).with_context(lang="en_US").action_wisdom_submit_review()
