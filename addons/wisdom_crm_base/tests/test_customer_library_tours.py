from datetime import datetime

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged


class CustomerLibraryTourCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env, login="tour_library_rep", groups="wisdom_crm_base.group_wisdom_rep", name="客户库销售"
        )
        cls.previous = new_test_user(
            cls.env, login="tour_library_prev", groups="wisdom_crm_base.group_wisdom_rep", name="前任销售"
        )
        team = cls.env["crm.team"].create(
            {"name": "客户库巡检团队", "member_ids": [Command.set((cls.rep | cls.previous).ids)]}
        )
        cls.pool = cls.env["wisdom.customer.pool"].create(
            {
                "name": "巡检公海池",
                "member_team_ids": [Command.link(team.id)],
                "daily_claim_limit": 0,
            }
        )
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "星城智能电网科技有限公司",
                "is_company": True,
                "wisdom_customer": True,
                "credit_code": "91430100MA4L0K7C0W",
                "customer_category": "grid",
                "customer_grade": "B",
                "user_id": cls.rep.id,
            }
        )
        cls.customer.with_user(cls.rep).message_post(body="电话回访：客户计划明年招标", message_type="comment")
        cls.pooled = Partner.create(
            {
                "name": "湘潭公海配电有限公司",
                "is_company": True,
                "wisdom_customer": True,
                "user_id": cls.previous.id,
            }
        )
        cls.pooled.with_user(cls.previous).action_release("客户暂无需求")


@tagged("post_install", "-at_install")
class TestCustomerLibraryDesktop(CustomerLibraryTourCase):
    browser_size = "1440x900"

    def test_customer_list_columns(self):
        self.assertTrue(self.customer.wisdom_last_followup, "the note is the customer's last activity")
        self.start_tour(
            "/odoo/action-wisdom_crm_base.action_wisdom_customers", "wisdom_customer_library_list", login=self.rep.login
        )

    def test_pool_list_and_multi_select_claim(self):
        self.assertEqual(self.pooled.pool_id, self.pool)
        self.start_tour(
            "/odoo/action-wisdom_crm_base.action_wisdom_pool_customers", "wisdom_pool_claim", login=self.rep.login
        )
        self.assertEqual((self.pooled.user_id, self.pooled.pool_state), (self.rep, "private"))


@tagged("post_install", "-at_install")
class TestCustomerLibraryPhone(CustomerLibraryTourCase):
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "odoobot_state" in cls.rep._fields:
            cls.rep.odoobot_state = "disabled"  # no onboarding chat window over the phone screen

    def test_customer_cards(self):
        self.start_tour(
            "/odoo/action-wisdom_crm_base.action_wisdom_customers?view_type=kanban",
            "wisdom_customer_library_cards",
            login=self.rep.login,
        )

    def test_rep_logs_followup_on_phone(self):
        self.customer.sudo().wisdom_last_followup = datetime(2026, 1, 5, 9, 0)
        self.start_tour(
            "/odoo/action-wisdom_crm_base.action_wisdom_customers", "wisdom_followup_on_phone", login=self.rep.login
        )
        self.env.invalidate_all()
        note = self.customer.message_ids.filtered(lambda m: "上门拜访：客户确认二期配电改造预算" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertEqual((note.author_id, note.message_type), (self.rep.partner_id, "comment"))
        self.assertEqual(self.customer.wisdom_last_followup, note.date, "the note is the customer's last activity")

    def test_rep_claims_from_pool_on_phone(self):
        self.start_tour(
            "/odoo/action-wisdom_crm_base.action_wisdom_pool_customers",
            "wisdom_pool_claim_on_phone",
            login=self.rep.login,
        )
        self.env.invalidate_all()
        self.assertEqual((self.pooled.user_id, self.pooled.pool_state), (self.rep, "private"))
