from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDemoReports(HttpCase):
    """On the demo database, finance opens the overdue, retention and target reports and finds rows."""

    def setUp(self):
        super().setUp()
        self.finance = self.env.ref("wisdom_crm_base.user_finance_wu", raise_if_not_found=False)
        if not self.finance or not self.env.ref("wisdom_fulfillment.demo_shipment_js", raise_if_not_found=False):
            self.skipTest("needs the demo data")

    def test_demo_contract_has_its_plan(self):
        order = self.env.ref("wisdom_contract.contract_signed_js")
        self.assertAlmostEqual(sum(order.plan_line_ids.mapped("amount")), order.amount_total, places=2)
        self.assertGreater(order.overdue_amount, 0)

    def test_finance_finds_rows_in_the_reports(self):
        if "odoobot_state" in self.finance._fields:
            self.finance.odoobot_state = "disabled"
        for tour in (
            "wisdom_finance_overdue_report",
            "wisdom_finance_retention_report",
            "wisdom_finance_target_report",
        ):
            with self.subTest(tour=tour):
                self.start_tour("/odoo", tour, login=self.finance.login)

    def test_demo_chatter_starts_in_chinese(self):
        for xmlid in ("wisdom_contract.contract_signed_js", "wisdom_contract.contract_draft_technical"):
            first = self.env.ref(xmlid).message_ids.sorted("id")[:1]
            self.assertNotIn("Sales Order created", first.body or "", xmlid)
