from odoo.tests import TransactionCase, tagged

from ..hooks import load_active_languages
from .common import WisdomContractCase


@tagged("post_install", "-at_install")
class TestLanguages(TransactionCase):
    def _forget_base_chinese(self):
        """The state of a database where zh_CN was activated after base was installed."""
        self.env.cr.execute("""
            UPDATE ir_model_fields SET field_description = field_description - 'zh_CN'
             WHERE model = 'res.partner' AND name = 'email'
        """)
        self.env.cr.execute(
            "UPDATE ir_ui_view SET arch_db = arch_db - 'zh_CN' WHERE id = %s",
            [self.env.ref("base.view_partner_tree").id],
        )
        self.env.invalidate_all()
        self.env.registry.clear_all_caches()

    def _partner_list_email_label(self):
        Partner = self.env["res.partner"].with_context(lang="zh_CN")
        return Partner.fields_get(["email"], ["string"])["email"]["string"]

    def test_installing_with_chinese_active_loads_every_module(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self._forget_base_chinese()
        self.assertEqual(self._partner_list_email_label(), "Email", "base's Chinese is missing")
        self.assertIn("zh_CN", load_active_languages(self.env))
        self.assertEqual(self._partner_list_email_label(), "邮箱")
        view = self.env.ref("base.view_partner_tree").with_context(lang="zh_CN")
        self.assertNotEqual(
            view.arch_db, view.with_context(lang="en_US").arch_db, "the partner list's own labels are Chinese again"
        )


@tagged("post_install", "-at_install")
class TestTextsInTheReadersLanguage(WisdomContractCase):
    def test_banner_and_missing_documents_follow_the_reader(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.customer_a1.wisdom_credit_days_allowed = 30
        order = self._contract(credit_days=60)
        order.with_user(self.rep_a1).with_context(lang="en_US").action_wisdom_submit_review()
        self.assertIn("Group Finance", order.with_context(lang="en_US")._get_to_validate_message())
        chinese = str(order.with_context(lang="zh_CN")._get_to_validate_message())
        self.assertNotIn("Group", chinese)
        self.assertIn("财务", chinese)
        order.invalidate_recordset()
        self.assertIn("Signed Original", order.with_context(lang="en_US").missing_document_categories)
        self.assertNotIn("Signed Original", order.with_context(lang="zh_CN").missing_document_categories)

    def test_reviews_table_and_chatter_notes_not_frozen_in_the_requesters_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.rep_a1.lang = "zh_CN"
        self.customer_a1.wisdom_credit_days_allowed = 30
        order = self._contract(credit_days=60).with_context(tracking_disable=False, lang="en_US")
        order = order.copy()  # created over an English API call, with the chatter on
        order.with_user(self.rep_a1).action_wisdom_submit_review()
        review = order.review_ids
        self.assertIn("Group Finance", review.with_context(lang="en_US").todo_by)
        review.invalidate_recordset()
        self.assertIn("财务", review.with_context(lang="zh_CN").todo_by)
        self.assertNotIn("Finance", review.with_context(lang="zh_CN").todo_by)
        bodies = " ".join(order.message_ids.mapped("body"))
        self.assertIn("销售订单", bodies, "the rep's team reads the creation note in the rep's language")
        self.assertNotIn("Sales Order created", bodies)
        self.assertNotIn("Group Finance", bodies)

    def test_integration_dashboard_has_a_title(self):
        dashboard = self.env["wisdom.integration.dashboard"].with_user(self.integration_admin).create({})
        self.assertEqual(dashboard.with_context(lang="en_US").display_name, "Integration Dashboard")
        dashboard.invalidate_recordset()
        self.assertEqual(dashboard.with_context(lang="zh_CN").display_name, "接口仪表盘")
