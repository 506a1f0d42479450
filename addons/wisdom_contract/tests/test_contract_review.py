from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import WisdomContractCase


@tagged("post_install", "-at_install")
class TestContractReview(WisdomContractCase):
    def _reviews(self, order):
        return {r.definition_id.wisdom_review_role: r.status for r in order.review_ids}

    def test_clean_contract_needs_no_approval_and_confirms(self):
        order = self._contract()
        self.assertIn("text-bg-success", order.review_preview_html)
        order.action_wisdom_submit_review()
        self.assertEqual(order.review_state, "approved")
        self.assertFalse(order.review_ids)
        self.assertTrue(order.contract_no.startswith("HT-BZ-"))
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.signed_date)

    def test_price_below_floor_needs_director_before_confirmation(self):
        order = self._contract(lines=[(self.meter, 10, 450.0)])
        with self.assertRaisesRegex(UserError, "submit it for review"):
            order.with_user(self.rep_a1).action_confirm()
        order.with_user(self.rep_a1).action_wisdom_submit_review()
        self.assertTrue(order.review_needs_director)
        self.assertFalse(order.review_needs_product_manager)
        finding = order.review_line_ids.filtered(lambda f: f.outcome == "approval")
        self.assertEqual((finding.observed, finding.threshold, finding.role), (450.0, 500.0, "director"))
        self.assertEqual(self._reviews(order), {"director": "pending"})
        self.assertEqual(order.review_state, "pending")
        with self.assertRaisesRegex(UserError, "before it is approved"):
            order.with_user(self.rep_a1).action_confirm()
        # Only the director can approve.
        order.with_user(self.manager_a).validate_tier()
        self.assertEqual(self._reviews(order), {"director": "pending"})
        order.with_user(self.director).validate_tier()
        self.assertEqual(order.review_state, "approved")
        order.with_user(self.rep_a1).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_confirmation_message_in_chinese(self):
        order = self._contract(lines=[(self.meter, 10, 450.0)])
        order.action_wisdom_submit_review()
        self.env["res.lang"]._activate_lang("zh_CN")
        with self.assertRaisesRegex(UserError, "审批"):
            order.with_user(self.rep_a1).with_context(lang="zh_CN").action_confirm()

    def test_approval_banner_and_buttons_in_chinese(self):
        """OCA tier validation leaves its zh_CN terms empty: the approver still reads Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["wisdom_contract"], ["zh_CN"])
        order = self._contract(lines=[(self.meter, 10, 450.0)])
        order.with_user(self.rep_a1).with_context(lang="zh_CN").action_wisdom_submit_review()
        bodies = " ".join(order.message_ids.mapped("body"))
        self.assertIn("创建了待审批的记录", bodies)
        self.assertNotIn("A record to be reviewed", bodies)
        director_order = order.with_user(self.director).with_context(lang="zh_CN")
        self.assertIn("审批", director_order.to_validate_message)
        self.assertTrue(director_order.next_review.startswith("下一步："))
        arch = etree.fromstring(director_order.get_views([(False, "form")])["views"]["form"]["arch"])
        self.assertEqual(arch.xpath("//button[@name='validate_tier']/@string"), ["批准"])
        self.assertEqual(arch.xpath("//button[@name='reject_tier']/@string"), ["驳回"])
        self.assertEqual(arch.xpath("//button[@name='restart_validation']/@string"), ["重新审批"])
        director_order.validate_tier()
        self.assertIn("审批已通过", order.with_context(lang="zh_CN").validated_message)

    def test_blocking_finding_prevents_submission(self):
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
        self.assertGreater(order.partner_id._wisdom_overdue_amount(), 10000)
        with self.assertRaisesRegex(UserError, "overdue"):
            order.with_user(self.rep_a1).action_wisdom_submit_review()
        self.assertFalse(order.review_submitted)
        with self.assertRaisesRegex(UserError, "review blocks it"):
            order.action_confirm()

    def test_instalments_must_total_100(self):
        order = self._contract()
        order.payment_term_line_ids[0].percent = 20
        with self.assertRaisesRegex(UserError, "total 90.0 %"):
            order.action_wisdom_submit_review()
        with self.assertRaisesRegex(UserError, "must total 100"):
            order.action_confirm()

    def test_editing_price_restarts_only_the_price_tier(self):
        order = self._contract(lines=[(self.meter, 10, 450.0), (self.custom, 1, 2000.0)])
        order.action_wisdom_submit_review()
        self.assertEqual(self._reviews(order), {"director": "pending", "product_manager": "pending"})
        order.with_user(self.product_manager).validate_tier()
        order.with_user(self.director).validate_tier()
        self.assertEqual(order.review_state, "approved")
        # The rep lowers the price further: the director approves again, the product manager's approval stays.
        meter_line = order.order_line.filtered(lambda line: line.product_id == self.meter)
        order.with_user(self.rep_a1).write({"order_line": [Command.update(meter_line.id, {"price_unit": 420.0})]})
        self.assertEqual(self._reviews(order), {"director": "pending", "product_manager": "approved"})
        self.assertEqual(order.review_state, "pending")
        # A change that does not touch the findings keeps both approvals.
        order.with_user(self.director).validate_tier()
        order.with_user(self.rep_a1).write({"note": "Deliver to site B"})
        order.with_user(self.rep_a1).write({"warranty_months": 12})
        self.assertEqual(self._reviews(order), {"director": "approved", "product_manager": "approved"})
        # Fixing the price removes the director's tier altogether.
        meter_line.with_user(self.rep_a1).price_unit = 550.0
        self.assertEqual(self._reviews(order), {"product_manager": "approved"})
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_credit_days_go_to_finance(self):
        self.customer_a1.wisdom_credit_days_allowed = 30
        order = self._contract(credit_days=60)
        order.action_wisdom_submit_review()
        self.assertEqual(self._reviews(order), {"finance": "pending"})
        self.assertTrue(order.with_user(self.finance).can_review)
        self.assertFalse(order.with_user(self.director).can_review)
        order.with_user(self.finance).validate_tier()
        order.action_confirm()

    def test_rejected_contract_cannot_be_confirmed(self):
        order = self._contract(lines=[(self.meter, 10, 450.0)])
        order.action_wisdom_submit_review()
        order.with_user(self.director).reject_tier()
        self.assertEqual(order.review_state, "rejected")
        with self.assertRaisesRegex(UserError, "rejected"):
            order.action_confirm()
        order.order_line.price_unit = 440.0
        self.assertEqual(self._reviews(order), {"director": "pending"})

    def test_live_review_on_the_form(self):
        with Form(self.env["sale.order"].with_user(self.rep_a1)) as form:
            form.partner_id = self.customer_a1
            with form.order_line.new() as line:
                line.product_id = self.meter
                line.price_unit = 450.0
            self.assertIn("text-bg-warning", form.review_preview_html)
            with form.order_line.edit(0) as line:
                line.price_unit = 550.0
            self.assertNotIn("text-bg-warning", form.review_preview_html)

    def test_finding_without_approval_tier_is_refused(self):
        self.env.ref("wisdom_contract.tier_definition_finance").active = False
        self.customer_a1.wisdom_credit_days_allowed = 30
        order = self._contract(credit_days=60)
        with self.assertRaisesRegex(UserError, "No approval tier is configured for: Finance"):
            order.action_wisdom_submit_review()
        with self.assertRaisesRegex(UserError, "No approval tier"):
            order.action_confirm()

    def test_review_status_cannot_be_set_by_hand(self):
        order = self._contract(lines=[(self.meter, 10, 450.0)])
        with self.assertRaises(AccessError):
            order.with_user(self.rep_a1).write({"review_submitted": True})
        with self.assertRaises(AccessError):
            order.with_user(self.rep_a1).write({"review_fingerprint": "x"})
