from odoo.tests import HttpCase, new_test_user, tagged

from .common import WisdomContractCase


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


@tagged("post_install", "-at_install")
class TestContractOnPhone(WisdomContractCase, HttpCase):
    """A draft contract on a phone: 提交评审 is the visible primary button; an approver reads and approves."""

    browser_size = "390x844"
    touch_enabled = True

    def setUp(self):
        super().setUp()
        self.env["res.lang"]._activate_lang("zh_CN")
        for user in (self.rep_a1, self.director):
            user.write({"lang": "zh_CN", **({"odoobot_state": "disabled"} if "odoobot_state" in user._fields else {})})
        self.customers[self.rep_a1].name = "手机审批客户"
        self.order = self._contract(lines=[(self.meter, 10, 450.0)])  # below the floor price: the director approves

    def test_rep_submits_draft_contract_on_phone(self):
        self.start_tour(
            f"/odoo/action-wisdom_contract.action_wisdom_contracts/{self.order.id}",
            "wisdom_contract_submit_on_phone",
            login=self.rep_a1.login,
        )
        self.assertTrue(self.order.review_submitted)
        self.assertEqual(self.order.review_state, "pending")

    def test_approver_reads_and_approves_on_phone(self):
        self.order.with_user(self.rep_a1).action_wisdom_submit_review()
        self.start_tour(
            "/odoo/action-wisdom_contract.action_wisdom_contracts_to_approve",
            "wisdom_contract_approve_on_phone",
            login=self.director.login,
        )
        self.order.invalidate_recordset()
        self.assertEqual(self.order.review_state, "approved")


@tagged("post_install", "-at_install")
class TestContractApproverOnDesktop(WisdomContractCase, HttpCase):
    """The approver's path from OCA's approvals menu in the top bar: no client error on the way
    (issue 17 reported "Invalid field 'reviewer_group_ids' on 'tier.review'" while an approver browsed)."""

    def test_approver_from_the_approvals_menu(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.director.write(
            {"lang": "zh_CN", **({"odoobot_state": "disabled"} if "odoobot_state" in self.director._fields else {})}
        )
        self.customers[self.rep_a1].name = "手机审批客户"
        order = self._contract(lines=[(self.meter, 10, 450.0)])
        order.with_user(self.rep_a1).action_wisdom_submit_review()
        self.start_tour("/odoo", "wisdom_contract_approve_from_systray", login=self.director.login)
        order.invalidate_recordset()
        self.assertEqual(order.review_state, "approved")
