import base64

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import WisdomContractCase


@tagged("post_install", "-at_install")
class TestContractRoles(WisdomContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contracts = {}
        cls.demands = {}
        for rep in (cls.rep_a1, cls.rep_a2, cls.rep_b1):
            order = cls._contract(cls, rep=rep, lines=[(cls.meter, 10, 450.0)])
            order.action_wisdom_submit_review()
            cls.env["wisdom.contract.document"].create(
                {"order_id": order.id, "category": "signed_original", "attachment": base64.b64encode(b"scan")}
            )
            cls.contracts[rep] = order
            cls.demands[rep] = (
                cls.env["wisdom.contract.demand"]
                .with_user(rep)
                .create({"partner_id": cls.customers[rep].id, "line_ids": [Command.create({"name": "Meter box"})]})
            )

    def _visible(self, user, model, records):
        return self.env[model].with_user(user).search([("id", "in", records.ids)]).sudo()

    def _all(self, collection):
        result = None
        for records in collection.values():
            result = records if result is None else result | records
        return result.with_env(self.env)

    def test_each_role_sees_what_it_should(self):
        demands = self._all(self.demands)
        contracts = self._all(self.contracts)
        findings = contracts.review_line_ids
        documents = contracts.document_ids
        instalments = contracts.payment_term_line_ids
        team_a = (self.rep_a1, self.rep_a2)
        expectations = {
            self.rep_a1: (self.rep_a1,),
            self.manager_a: team_a,
            self.director: (self.rep_a1, self.rep_a2, self.rep_b1),
            self.product_manager: (self.rep_a1, self.rep_a2, self.rep_b1),
            self.finance: (self.rep_a1, self.rep_a2, self.rep_b1),
            self.contract_admin: (self.rep_a1, self.rep_a2, self.rep_b1),
        }
        for user, owners in expectations.items():
            with self.subTest(user=user.login):
                expected_contracts = self._all({r: self.contracts[r] for r in owners})
                expected_demands = self._all({r: self.demands[r] for r in owners})
                self.assertEqual(
                    set(self._visible(user, "wisdom.contract.demand", demands).ids), set(expected_demands.ids)
                )
                self.assertEqual(self._visible(user, "sale.order", contracts), expected_contracts)
                self.assertEqual(
                    self._visible(user, "wisdom.review.line", findings), expected_contracts.review_line_ids
                )
                self.assertEqual(
                    self._visible(user, "wisdom.contract.document", documents), expected_contracts.document_ids
                )
                self.assertEqual(
                    self._visible(user, "wisdom.payment.term.line", instalments),
                    expected_contracts.payment_term_line_ids,
                )

    def test_approvers_queue(self):
        queue = self.env["sale.order"].with_user(self.director).search([("can_review", "=", True)])
        self.assertEqual(queue & self._all(self.contracts), self._all(self.contracts))
        self.assertFalse(self.env["sale.order"].with_user(self.finance).search([("can_review", "=", True)]))
        self.assertFalse(self.env["sale.order"].with_user(self.rep_a1).search([("can_review", "=", True)]))

    def test_policy_is_kept_by_the_contract_admin(self):
        rule_values = {"name": "Amount", "check_type": "amount_above", "threshold": 1, "role": "director"}
        for user in (self.rep_a1, self.director, self.finance, self.product_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["wisdom.review.rule"].with_user(user).create(rule_values)
        self.env["wisdom.review.rule"].with_user(self.contract_admin).create(rule_values)
        tier = self.env.ref("wisdom_contract.tier_definition_director").with_user(self.contract_admin)
        tier.write({"definition_domain": "[('review_needs_director', '=', True), ('amount_total', '>', 0)]"})
        with self.assertRaises(AccessError):
            tier.with_user(self.rep_a1).write({"definition_domain": "[]"})
        template = self.env["wisdom.contract.template"].with_user(self.contract_admin).create({"name": "T"})
        with self.assertRaises(AccessError):
            template.with_user(self.rep_a1).write({"name": "Mine"})
        # Findings are written by the review only.
        with self.assertRaises(AccessError):
            self.contracts[self.rep_a1].review_line_ids[:1].with_user(self.rep_a1).write({"outcome": "pass"})

    def test_finance_reads_but_does_not_change_demands(self):
        demand = self.demands[self.rep_a1].with_user(self.finance)
        self.assertTrue(demand.partner_id)
        with self.assertRaises(AccessError):
            demand.write({"description": "x"})
        with self.assertRaises(AccessError):
            self.demands[self.rep_b1].with_user(self.rep_a1).write({"description": "x"})

    def test_contract_and_demand_views_open_for_every_role(self):
        contract_views = [
            (self.env.ref("wisdom_contract.view_wisdom_contract_list").id, "list"),
            (self.env.ref("wisdom_contract.view_wisdom_contract_kanban").id, "kanban"),
            (self.env.ref("wisdom_contract.view_wisdom_contract_pivot").id, "pivot"),
            (False, "form"),
            (False, "search"),
        ]
        roles = (self.rep_a1, self.manager_a, self.director, self.product_manager, self.finance, self.contract_admin)
        for user in roles:
            with self.subTest(user=user.login):
                views = self.env["sale.order"].with_user(user).get_views(contract_views)
                arch = views["views"]["form"]["arch"]
                # base_tier_validation returns the form it extends as bytes
                self.assertIn("review_line_ids", arch.decode() if isinstance(arch, bytes) else arch)
                demand_views = (
                    self.env["wisdom.contract.demand"]
                    .with_user(user)
                    .get_views([(False, "kanban"), (False, "list"), (False, "form"), (False, "search")])
                )
                self.assertIn("attachment_ids", demand_views["views"]["form"]["arch"])
                order = self.contracts[self.rep_a1].with_user(user)
                if order.has_access("read"):
                    order.web_read({"review_line_ids": {"fields": {"message": {}}}, "review_state": {}})

    def test_erp_numbers_are_kept_by_the_contract_admin(self):
        order = self.contracts[self.rep_a1]
        with self.assertRaises(AccessError):
            order.with_user(self.rep_a1).write({"sap_order_no": "4500000001"})
        order.with_user(self.contract_admin).write({"sap_order_no": "4500000001", "production_order_nos": "1001, 1002"})
        self.assertEqual(order.sap_order_no, "4500000001")
        self.assertFalse(order.with_user(self.rep_a1).can_edit_erp_numbers)
