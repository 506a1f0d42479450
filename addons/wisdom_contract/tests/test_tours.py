from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDemandOnPhone(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_rep_records_demand_on_phone(self):
        rep = new_test_user(
            self.env, login="tour_demand_rep", groups="wisdom_crm_base.group_wisdom_rep", name="手机销售"
        )
        if "odoobot_state" in rep._fields:
            rep.odoobot_state = "disabled"  # no onboarding chat window over the phone screen
        customer = self.env["res.partner"].create(
            {"name": "手机需求客户", "is_company": True, "wisdom_customer": True, "user_id": rep.id}
        )
        self.start_tour("/odoo", "wisdom_demand_on_phone", login=rep.login)
        demand = self.env["wisdom.contract.demand"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(demand), 1)
        self.assertEqual(demand.state, "pm_review")
        self.assertEqual(demand.line_ids.name, "防爆电表箱")
        self.assertEqual(demand.user_id, rep)
