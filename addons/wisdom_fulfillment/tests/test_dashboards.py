from datetime import date

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SIGNED, FulfilmentCase

ROLE_ACTIONS = {
    "rep": ("my_customers", "my_reclaims", "my_todos", "my_contracts_waiting", "my_overdue", "my_targets"),
    "team": ("team_ranking", "team_customers", "team_overdue", "team_contracts_waiting", "team_targets"),
    "company": ("pipeline", "signed_vs_target", "collection_vs_plan", "ageing", "top_overdue", "margin"),
    "finance": ("to_invoice", "to_confirm", "disposals"),
}


@tagged("post_install", "-at_install")
class TestDashboards(FulfilmentCase):
    """Each role's dashboard figures read what the role may read: a rep's figures are theirs only."""

    def setUp(self):
        super().setUp()
        with freeze_time(SIGNED):
            self.order_a = self._contract(terms=[("prepayment", 30, 0), ("delivery", 70, 0)])
            self.order_b = self._contract(rep=self.rep_b1, terms=[("prepayment", 30, 0), ("delivery", 70, 0)])
        with freeze_time("2026-07-15"):
            self.env["wisdom.collection.plan.line"]._cron_collection_alerts()

    def _records(self, action_key, user):
        action = self.env.ref(f"wisdom_fulfillment.action_wisdom_dash_{action_key}")
        domain = safe_eval(action.domain or "[]", {"uid": user.id})
        context = safe_eval(action.context or "{}", {"uid": user.id})
        records = self.env[action.res_model].with_user(user).search(domain)
        # the figure's grouping and measures exist and are readable by the role
        groupby = list(context.get("pivot_row_groupby", []))
        measures = [f"{m}:sum" for m in context.get("pivot_measures", []) if m != "__count"]
        self.env[action.res_model].with_user(user)._read_group(domain, groupby, ["__count", *measures])
        return records

    def test_every_figure_opens_for_its_role(self):
        users = {"rep": self.rep_a1, "team": self.manager_a, "company": self.director, "finance": self.finance}
        for role, keys in ROLE_ACTIONS.items():
            for key in keys:
                with self.subTest(role=role, figure=key):
                    self._records(key, users[role])

    def test_overdue_figures_follow_the_record_rules(self):
        with freeze_time("2026-07-15"):
            self.assertEqual(self._records("my_overdue", self.rep_a1), self.order_a)
            self.assertEqual(self._records("my_overdue", self.rep_b1), self.order_b)
            self.assertIn(self.order_a, self._records("team_overdue", self.manager_a))
            self.assertNotIn(self.order_b, self._records("team_overdue", self.manager_a))
            top = self._records("top_overdue", self.director)
            self.assertTrue(self.order_a | self.order_b <= top)
            ageing = self._records("ageing", self.director).filtered(lambda ln: ln.order_id == self.order_a)
            self.assertEqual(ageing.mapped("ageing_bucket"), ["91_180"], "30 % due at signing, 135 days late")

    def test_finance_sees_collections_to_confirm(self):
        payment = self._payment(self.order_a, 100.0, when=date(2026, 3, 5))
        self.assertIn(payment, self._records("to_confirm", self.finance))
        self.assertNotIn(payment, self._records("to_confirm", self.rep_b1))

    def test_menus_per_role(self):
        menus = {
            key: self.env.ref(f"wisdom_fulfillment.menu_wisdom_dashboard_{key}")
            for key in ("rep", "team", "company", "finance")
        }
        expected = {
            self.rep_a1: {"rep"},
            self.manager_a: {"rep", "team"},
            self.director: {"rep", "team", "company"},
            self.finance: {"finance"},
        }
        for user, keys in expected.items():
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertEqual({key for key, menu in menus.items() if menu.id in visible}, keys, user.login)


@tagged("post_install", "-at_install")
class TestDashboardTours(HttpCase):
    """A tour per role opens a figure of its dashboard in the browser and clicks through to its list."""

    def setUp(self):
        super().setUp()
        self.users = {
            role: self.env.ref(f"wisdom_crm_base.{xmlid}", raise_if_not_found=False)
            for role, xmlid in (
                ("rep", "user_rep_zhang"),
                ("manager", "user_manager_wang"),
                ("director", "user_director_zhou"),
                ("finance", "user_finance_wu"),
            )
        }
        if not all(self.users.values()) or not self.env.ref(
            "wisdom_contract.contract_signed_js", raise_if_not_found=False
        ):
            self.skipTest("needs the demo data")
        for user in self.users.values():
            if "odoobot_state" in user._fields:
                user.odoobot_state = "disabled"
        order = self.env.ref("wisdom_contract.contract_signed_js")
        # a customer payment waiting for its confirmation, for finance's figure
        self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": order.partner_id.id,
                "amount": 1000.0,
                "company_id": order.company_id.id,
            }
        ).action_post()
        self.env["sale.order"]._wisdom_refresh_execution_dates(date.today())

    def test_tours(self):
        for role in ("rep", "manager", "director", "finance"):
            with self.subTest(role=role):
                self.start_tour("/odoo", f"wisdom_dashboard_{role}", login=self.users[role].login)
