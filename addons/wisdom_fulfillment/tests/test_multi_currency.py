from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.wisdom_crm_base.tests.common import CnyCompanyCase

from .common import SIGNED, FulfilmentCase

TERMS = [("prepayment", 30, 0), ("delivery", 70, 0)]


@tagged("post_install", "-at_install")
class TestMultiCurrency(FulfilmentCase, CnyCompanyCase):
    """A USD contract shows its own figures in USD; everything that adds contracts together (partner
    totals, targets, dashboards, ageing, cash forecast) counts it in CNY at the company rate of the day."""

    def setUp(self):
        super().setUp()
        with freeze_time(SIGNED):
            # 10 × 100 with 30 % due at signing: 300 of each contract overdue by July
            self.usd_order = self._contract(pricelist_id=self.usd_pricelist.id, terms=TERMS)
            self.cny_order = self._contract(terms=TERMS)
        self.orders = self.usd_order | self.cny_order
        self.customer = self.customers[self.rep_a1]
        with freeze_time("2026-07-15"):
            self.env["wisdom.collection.plan.line"]._cron_collection_alerts()

    def _dashboard(self, key, user, measures, groupby):
        """The dashboard's figure as its pivot reads it for ``user``, narrowed to this test's contracts."""
        action = self.env.ref(f"wisdom_fulfillment.action_wisdom_dash_{key}")
        context = safe_eval(action.context or "{}", {"uid": user.id})
        self.assertTrue(set(measures) <= set(context["pivot_measures"]), "the dashboard reads these measures")
        domain = safe_eval(action.domain or "[]", {"uid": user.id})
        field = "id" if action.res_model == "sale.order" else "order_id"
        domain += [(field, "in", self.orders.ids)]
        groups = (
            self.env[action.res_model]
            .with_user(user)
            .formatted_read_group(domain, groupby, [f"{m}:sum" for m in measures])
        )
        return {m: sum(g[f"{m}:sum"] for g in groups) for m in measures}

    def test_contract_figures_stay_in_usd_totals_in_cny(self):
        usd, cny = self.usd_order, self.cny_order
        self.assertEqual((usd.currency_id, usd.amount_total, usd.overdue_amount), (self.usd, 1000.0, 300.0))
        self.assertEqual(usd.company_currency_id, self.company.currency_id)
        self.assertAlmostEqual(usd.amount_total_company, self._usd_to_cny(1000.0), places=2)
        self.assertAlmostEqual(usd.overdue_amount_company, self._usd_to_cny(300.0), places=2)
        self.assertAlmostEqual(usd.receivable_amount_company, self._usd_to_cny(300.0), places=2)
        self.assertEqual((cny.amount_total_company, cny.overdue_amount_company), (1000.0, 300.0))
        overdue_cny = self._usd_to_cny(300.0) + 300.0
        self.assertAlmostEqual(overdue_cny, 2442.86, places=2)
        self.assertAlmostEqual(self.customer._wisdom_overdue_amount(), overdue_cny, places=2)
        figures = self.customer._wisdom_customer_figures()[self.customer.id]
        self.assertAlmostEqual(figures["contract_amount"], self._usd_to_cny(1000.0) + 1000.0, places=2)
        self.assertAlmostEqual(figures["overdue_amount"], overdue_cny, places=2)
        self.assertAlmostEqual(figures["receivable_amount"], overdue_cny, places=2)

    def test_dashboards_add_usd_and_cny_in_cny(self):
        total_cny = self._usd_to_cny(1000.0) + 1000.0
        overdue_cny = self._usd_to_cny(300.0) + 300.0
        team_overdue = self._dashboard(
            "team_overdue", self.manager_a, ["overdue_amount_company", "retention_due_amount_company"], ["user_id"]
        )
        self.assertAlmostEqual(team_overdue["overdue_amount_company"], overdue_cny, places=2)
        ranking = self._dashboard("team_ranking", self.manager_a, ["amount_total_company"], ["user_id"])
        self.assertAlmostEqual(ranking["amount_total_company"], total_cny, places=2)
        my_overdue = self._dashboard("my_overdue", self.rep_a1, ["overdue_amount_company"], ["partner_id"])
        self.assertAlmostEqual(my_overdue["overdue_amount_company"], overdue_cny, places=2)
        plan = self._dashboard("collection_vs_plan", self.director, ["amount_company", "residual_company"], [])
        # only the prepayments have a due date yet (30 % of each contract, not collected)
        self.assertAlmostEqual(plan["amount_company"], overdue_cny, places=2)
        self.assertAlmostEqual(plan["residual_company"], overdue_cny, places=2)
        ageing = self._dashboard("ageing", self.director, ["residual_company"], ["ageing_bucket"])
        self.assertAlmostEqual(ageing["residual_company"], overdue_cny, places=2)
        self.assertEqual(
            self.env["wisdom.collection.plan.line"]
            .with_user(self.finance)
            .wisdom_cash_forecast([("order_id", "in", self.orders.ids)]),
            [{"month": "2026-03", "amount": round(overdue_cny, 2)}],
        )

    def test_open_amounts_follow_the_rate_of_the_day(self):
        # 1 CNY = 0.125 USD from 20 July: 1 USD = 8 CNY
        self.env["res.currency.rate"].create(
            {"currency_id": self.usd.id, "company_id": self.company.id, "name": date(2026, 7, 20), "rate": 0.125}
        )
        with freeze_time("2026-07-21"):
            self.env["wisdom.collection.plan.line"]._cron_collection_alerts()
        self.assertEqual(self.usd_order.overdue_amount, 300.0)
        self.assertEqual(self.usd_order.overdue_amount_company, 2400.0)
        prepayment = self._lines(self.usd_order, "prepayment")
        self.assertEqual((prepayment.residual, prepayment.residual_company), (300.0, 2400.0))
        self.assertAlmostEqual(
            self.usd_order.amount_total_company,
            self._usd_to_cny(1000.0),
            places=2,
            msg="signed at the rate of its date",
        )

    def test_shipping_credit_limit_compares_the_receivable_in_cny(self):
        # due and not collected: 300 USD and 300 CNY, i.e. 2,442.86 CNY, not 600
        self.customer.write({"use_partner_credit_limit": True, "credit_limit": 2000.0})
        results = {r.condition.kind: r for r in self.cny_order._wisdom_shipment_check()}
        self.assertFalse(results["credit_limit"].passed)
        self.assertAlmostEqual(results["credit_limit"].params["receivable"], self._usd_to_cny(300.0) + 300.0, places=2)
        self.customer.credit_limit = 2500.0
        results = {r.condition.kind: r for r in self.cny_order._wisdom_shipment_check()}
        self.assertTrue(results["credit_limit"].passed)

    def test_target_attainment_counts_usd_contracts_in_cny(self):
        target = (
            self.env["wisdom.sales.target"]
            .with_user(self.director)
            .create(
                {
                    "user_id": self.rep_a1.id,
                    "period_type": "month",
                    "date_from": date(2026, 3, 1),
                    "metric": "contract_amount",
                    "target_value": 10000.0,
                }
            )
        )
        actual = self._usd_to_cny(1000.0) + 1000.0
        self.assertAlmostEqual(target.actual_value, actual, places=2)
        self.assertAlmostEqual(target.attainment, round(100.0 * actual / 10000.0, 2), places=2)
        signed = self._dashboard_targets(target)
        self.assertAlmostEqual(signed, actual, places=2)

    def _dashboard_targets(self, target):
        action = self.env.ref("wisdom_fulfillment.action_wisdom_dash_signed_vs_target")
        domain = safe_eval(action.domain or "[]") + [("id", "=", target.id)]
        [group] = (
            self.env["wisdom.sales.target"]
            .with_user(self.director)
            .formatted_read_group(domain, ["date_from:month"], ["actual_value:sum"])
        )
        return group["actual_value:sum"]

    def test_disposals_to_handle_add_in_cny(self):
        for order in self.orders:
            self.env["wisdom.receivable.disposal"].with_user(self.rep_a1).create(
                {
                    "plan_line_id": self._lines(order, "prepayment").id,
                    "kind": "dunning",
                    "amount": 100.0,
                    "reason": "催款",
                }
            )
        disposals = self._dashboard("disposals", self.director, ["amount_company"], ["kind"])
        self.assertAlmostEqual(disposals["amount_company"], self._usd_to_cny(100.0) + 100.0, places=2)

    def test_collections_to_confirm_add_the_unallocated_amount_in_cny(self):
        usd_payment = (
            self.env["account.payment"]
            .with_user(self.finance)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": 200.0,
                    "currency_id": self.usd.id,
                    "date": SIGNED,
                }
            )
        )
        usd_payment.action_post()
        cny_payment = self._payment(self.cny_order, 200.0)
        payments = usd_payment | cny_payment
        self.assertEqual(set(payments.mapped("wisdom_collection_state")), {"to_confirm"})
        self.assertEqual(usd_payment.wisdom_unallocated_amount, 200.0)
        action = self.env.ref("wisdom_fulfillment.action_wisdom_dash_to_confirm")
        context = safe_eval(action.context)
        self.assertIn("wisdom_unallocated_amount_company", context["pivot_measures"])
        self.assertEqual(context["graph_measure"], "wisdom_unallocated_amount_company")
        domain = safe_eval(action.domain) + [("id", "in", payments.ids)]
        groups = (
            self.env["account.payment"]
            .with_user(self.finance)
            .formatted_read_group(domain, ["partner_id"], ["wisdom_unallocated_amount_company:sum"])
        )
        total = sum(group["wisdom_unallocated_amount_company:sum"] for group in groups)
        self.assertAlmostEqual(total, self._usd_to_cny(200.0) + 200.0, places=2)
