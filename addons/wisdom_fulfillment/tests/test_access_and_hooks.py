from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import FulfilmentCase


@tagged("post_install", "-at_install")
class TestAccessAndHooks(FulfilmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_a1 = cls._contract(cls, rep=cls.rep_a1)
        cls.order_a2 = cls._contract(cls, rep=cls.rep_a2)
        cls.order_b1 = cls._contract(cls, rep=cls.rep_b1)

    def _visible_orders(self, user, model="wisdom.collection.plan.line"):
        return self.env[model].with_user(user).search([]).order_id & (self.order_a1 | self.order_a2 | self.order_b1)

    def test_role_visibility_of_plans(self):
        everything = self.order_a1 | self.order_a2 | self.order_b1
        self.assertEqual(self._visible_orders(self.rep_a1), self.order_a1)
        self.assertEqual(self._visible_orders(self.manager_a), self.order_a1 | self.order_a2)
        self.assertEqual(self._visible_orders(self.manager_b), self.order_b1)
        for user in (self.director, self.finance, self.contract_admin):
            self.assertEqual(self._visible_orders(user), everything, user.login)
        with self.assertRaises(AccessError):
            self.order_b1.plan_line_ids.with_user(self.rep_a1).read(["amount"])
        with self.assertRaises(AccessError):
            self.order_a1.plan_line_ids[:1].with_user(self.rep_a1).write({"amount": 1})

    def test_role_visibility_of_shipments_and_disposals(self):
        for order in (self.order_a1, self.order_a2, self.order_b1):
            self._collect(order, 300)
            self._ship(order, 10, date(2026, 4, 1))
            self.env["wisdom.receivable.disposal"].create(
                {"plan_line_id": order.plan_line_ids[-1].id, "kind": "dunning", "reason": "催款"}
            )
        for model in ("wisdom.shipment.request", "wisdom.receivable.disposal", "wisdom.collection.allocation"):
            Model = self.env[model]
            self.assertEqual(Model.with_user(self.rep_a1).search([]).order_id, self.order_a1, model)
            self.assertEqual(Model.with_user(self.manager_a).search([]).order_id, self.order_a1 | self.order_a2, model)
            self.assertLessEqual(
                self.order_a1 | self.order_a2 | self.order_b1, Model.with_user(self.finance).search([]).order_id, model
            )
            self.assertLessEqual(
                self.order_a1 | self.order_a2 | self.order_b1, Model.with_user(self.director).search([]).order_id, model
            )

    def test_customer_figures_and_targets(self):
        self._collect(self.order_a1, 300, when=date(2026, 3, 5))
        customer = self.order_a1.partner_id
        with freeze_time("2026-06-01"):
            figures = customer._wisdom_customer_figures()[customer.id]
            self.assertEqual(figures["contract_count"], 1)
            self.assertEqual(figures["contract_amount"], 1000.0)
            self.assertEqual(figures["collected_amount"], 300.0)
            self.assertEqual(figures["receivable_amount"], 0.0)
            self.assertEqual(figures["overdue_amount"], 0.0)
            customer.invalidate_recordset()
            self.assertEqual(customer.wisdom_collected_amount, 300.0)
            self.assertEqual(customer._wisdom_overdue_amount(), 0.0)
            self.order_a1.acceptance_date = date(2026, 4, 1)  # retention due 2027-04-01, nothing late
            self._ship(self.order_a1, 10, date(2026, 4, 1))  # delivery share due 2026-05-01: 600 late
            self.assertEqual(customer._wisdom_overdue_amount(), 600.0)
        Target = self.env["wisdom.sales.target"]
        self.assertEqual(
            Target._wisdom_actual("collection_amount", self.rep_a1.ids, date(2026, 3, 1), date(2026, 3, 31)), 300.0
        )
        self.assertEqual(
            Target._wisdom_actual("collection_amount", self.rep_a2.ids, date(2026, 3, 1), date(2026, 3, 31)), 0.0
        )
        self.assertEqual(
            Target._wisdom_actual("contract_amount", self.rep_a1.ids, date(2026, 3, 1), date(2026, 3, 31)), 1000.0
        )
        self.assertEqual(
            Target._wisdom_actual("contract_amount", self.rep_a1.ids, date(2026, 4, 1), date(2026, 4, 30)), 0.0
        )

    def test_execution_status_readable_by_each_role(self):
        self._collect(self.order_a1, 300)
        self._ship(self.order_a1, 4, date(2026, 4, 1))
        invoice = self.order_a1._create_invoices()
        invoice.action_post()
        fields_ = [
            "shipped_amount",
            "shipped_percent",
            "invoiced_amount",
            "invoiced_percent",
            "collected_amount",
            "collected_percent",
            "receivable_amount",
            "overdue_amount",
            "overdue_days",
            "retention_outstanding",
            "retention_due_date",
            "execution_state",
            "shipment_allowed",
            "shipment_check_html",
            "timeline_html",
            "next_plan_line_id",
        ]
        for user in (self.rep_a1, self.manager_a, self.director, self.finance, self.contract_admin):
            values = self.order_a1.with_user(user).read(fields_)[0]
            self.assertEqual(values["collected_amount"], 300.0, user.login)
            self.assertEqual(values["shipped_percent"], 40.0, user.login)
            self.assertEqual(values["invoiced_amount"], 1000.0, user.login)
            self.assertEqual(values["execution_state"], "shipping", user.login)
        payment = self._payment(self.order_a1, 100)
        values = payment.with_user(self.rep_a1).read(["wisdom_allocation_ids", "wisdom_collection_state", "amount"])
        self.assertEqual(values[0]["wisdom_collection_state"], "to_confirm")

    def test_views_load_for_each_role(self):
        views = {
            "sale.order": ["form", "list"],
            "wisdom.collection.plan.line": ["list", "form", "kanban", "pivot", "graph", "search"],
            "wisdom.shipment.request": ["list", "form", "search"],
            "wisdom.receivable.disposal": ["list", "form", "search"],
        }
        for user in (self.rep_a1, self.manager_a, self.director, self.finance):
            for model, types in views.items():
                result = self.env[model].with_user(user).get_views([(False, t) for t in types])
                self.assertEqual(set(result["views"]), set(types), (user.login, model))
        form = self.env["account.payment"].with_user(self.finance).get_views([(False, "form")])
        self.assertIn("wisdom_allocation_ids", form["views"]["form"]["arch"])

    def test_standard_users_without_wisdom_role_keep_working(self):
        """Odoo's own salesmen, sales managers and invoicing users (no Wisdom role) still open a
        confirmed contract and a customer payment: the fulfilment fields on them must not raise."""

        salesman = new_test_user(self.env, login="t_std_salesman", groups="sales_team.group_sale_salesman_all_leads")
        sales_manager = new_test_user(self.env, login="t_std_sales_manager", groups="sales_team.group_sale_manager")
        invoicing = new_test_user(self.env, login="t_std_invoicing", groups="account.group_account_invoice")
        self._ship(self.order_a1, 4, date(2026, 4, 1))
        payment = self._payment(self.order_a1, 100)
        for user in (salesman, sales_manager, invoicing):
            order = self.order_a1.with_user(user)
            values = order.read(["plan_line_ids", "shipment_request_ids", "collected_amount"])[0]
            self.assertEqual(len(values["plan_line_ids"]), len(self.order_a1.plan_line_ids), user.login)
            self.assertEqual(len(values["shipment_request_ids"]), 1, user.login)
            order.get_views([(False, "form")])
        for user in (salesman, sales_manager):
            Form(self.env["sale.order"].with_user(user))  # loads the embedded plan and disposal views too
        values = payment.with_user(invoicing).read(["wisdom_allocation_ids", "amount"])[0]
        self.assertEqual(values["amount"], 100.0)
