from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRepTours(HttpCase):
    def test_rep_creates_customer_in_browser(self):
        rep = new_test_user(self.env, login="tour_rep", groups="wisdom_crm_base.group_wisdom_rep", name="巡检销售")
        self.start_tour("/odoo", "wisdom_rep_creates_customer", login=rep.login)
        customer = self.env["res.partner"].search([("name", "=", "湖南星沙智能配电有限公司")])
        self.assertEqual(len(customer), 1)
        self.assertTrue(customer.wisdom_customer)
        self.assertTrue(customer.is_company)
        self.assertEqual(customer.user_id, rep)
