"""Record-rule probes over XML-RPC: each role, logged in as an integrator would, tries to read,
write and delete records that are not theirs — another rep's or another team's customers,
contracts and everything hanging off them, and the configuration other roles maintain."""

from datetime import date

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.wisdom_fulfillment.tests.common import FulfilmentCase

from .common import RpcMixin


@tagged("post_install", "-at_install")
class TestRecordRulesOverRpc(RpcMixin, FulfilmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # everything rep B1 (team B) owns
        order = cls._contract(cls, rep=cls.rep_b1)
        payment = (
            env["account.payment"]
            .with_user(cls.finance)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": order.partner_id.id,
                    "amount": 300.0,
                    "date": order.signed_date,
                }
            )
        )
        payment.action_post()
        payment.action_wisdom_suggest_allocation()
        payment.action_wisdom_confirm_allocation()
        shipment = (
            env["wisdom.shipment.request"]
            .with_user(cls.rep_b1)
            .create(
                {
                    "order_id": order.id,
                    "line_ids": [Command.create({"sale_line_id": order.order_line.id, "quantity": 1})],
                }
            )
        )
        disposal = (
            env["wisdom.receivable.disposal"]
            .with_user(cls.rep_b1)
            .create({"plan_line_id": order.plan_line_ids[-1].id, "kind": "dunning", "reason": "逾期"})
        )
        demand = (
            env["wisdom.contract.demand"]
            .with_user(cls.rep_b1)
            .create(
                {
                    "partner_id": cls.customer_b1.id,
                    "description": "需求",
                    "line_ids": [Command.create({"name": "定制终端", "quantity": 1})],
                }
            )
        )
        document = env["wisdom.contract.document"].search([("order_id", "=", order.id)], limit=1)
        # model → (record of rep B1, a harmless write)
        cls.b_records = {
            "res.partner": (cls.customer_b1, {"phone": "000"}),
            "crm.lead": (cls.leads[cls.rep_b1], {"description": "x"}),
            "sale.order": (order, {"client_order_ref": "x"}),
            "sale.order.line": (order.order_line, {"name": "x"}),
            "wisdom.payment.term.line": (order.payment_term_line_ids[:1], {"note": "x"}),
            "wisdom.collection.plan.line": (order.plan_line_ids[:1], {"adjustment_note": "x"}),
            "wisdom.collection.allocation": (
                env["wisdom.collection.allocation"].search([("payment_id", "=", payment.id)], limit=1),
                {"amount": 1.0},
            ),
            "wisdom.shipment.request": (shipment, {"requested_date": date(2026, 5, 1)}),
            "wisdom.shipment.request.line": (shipment.line_ids, {"quantity": 2}),
            "wisdom.receivable.disposal": (disposal, {"result": "x"}),
            "wisdom.contract.demand": (demand, {"description": "x"}),
            "wisdom.contract.demand.line": (demand.line_ids, {"specification": "x"}),
        }
        if document:
            cls.b_records["wisdom.contract.document"] = (
                document,
                {"note": "x"} if "note" in document._fields else {"name": "x"},
            )
        for model, (record, _vals) in cls.b_records.items():
            assert len(record) == 1, f"no record of rep B1 for {model}"

    def _probe_others(self, user):
        for model, (record, vals) in self.b_records.items():
            with self.subTest(user=user.login, model=model):
                self.assertRefused(user, model, "read", record.ids, fields=["display_name"])
                self.assertEqual(self.rpc(user, model, "search", [("id", "=", record.id)]), [])
                self.assertRefused(
                    user,
                    model,
                    "write",
                    record.ids,
                    {key: str(value) if isinstance(value, date) else value for key, value in vals.items()},
                )
                self.assertRefused(user, model, "unlink", record.ids)
                self.assertTrue(record.exists())

    def test_director_sees_rep_b_records(self):
        """The probe's control: the same calls succeed for the director, so a refusal above is the rule."""
        for model, (record, _vals) in self.b_records.items():
            with self.subTest(model=model):
                rows = self.rpc(self.director, model, "read", record.ids, fields=["display_name"])
                self.assertEqual([row["id"] for row in rows], record.ids)

    def test_rep_of_other_team(self):
        self._probe_others(self.rep_a1)

    def test_rep_of_same_team_as_colleague(self):
        # rep A2 is in team A like rep A1: A1's customer stays A1's
        customer = self.customer_a1
        self.assertRefused(self.rep_a2, "res.partner", "read", customer.ids, fields=["name"])
        self.assertRefused(self.rep_a2, "res.partner", "write", customer.ids, {"phone": "1"})
        self.assertRefused(self.rep_a2, "sale.order", "write", self.orders[self.rep_a1].ids, {"note": "x"})

    def test_manager_of_other_team(self):
        self._probe_others(self.manager_a)

    # --- configuration belongs to the roles that maintain it ---

    def _config_records(self):
        env = self.env
        records = {
            "wisdom.review.rule": env["wisdom.review.rule"].create(
                {"name": "探针规则", "check_type": "discount_limit", "threshold": 20}
            ),
            "wisdom.contract.template": env["wisdom.contract.template"].create({"name": "探针模板"}),
            "wisdom.customer.pool": env["wisdom.customer.pool"].create({"name": "探针公海"}),
            "wisdom.pool.release.reason": env["wisdom.pool.release.reason"].create({"name": "探针原因"}),
            "wisdom.shipment.condition": env["wisdom.shipment.condition"].search([], limit=1),
            "wisdom.grade.rule": env["wisdom.grade.rule"].search([], limit=1),
            "wisdom.integration.endpoint": env["wisdom.integration.endpoint"].search([], limit=1),
        }
        for model, record in records.items():
            self.assertEqual(len(record), 1, f"no {model} to probe")
        return records

    def test_configuration_maintained_by_its_roles_only(self):
        maintainers = {
            "wisdom.review.rule": {self.contract_admin},
            "wisdom.contract.template": {self.contract_admin},
            "wisdom.customer.pool": {self.director},
            "wisdom.pool.release.reason": {self.director},
            "wisdom.shipment.condition": {self.director, self.contract_admin},
            "wisdom.grade.rule": {self.director},
            "wisdom.integration.endpoint": {self.integration_admin},
        }
        roles = [
            self.rep_a1,
            self.manager_a,
            self.director,
            self.finance,
            self.product_manager,
            self.contract_admin,
            self.integration_admin,
        ]
        for model, record in self._config_records().items():
            for user in roles:
                if user in maintainers[model]:
                    continue
                with self.subTest(model=model, user=user.login):
                    self.assertRefused(
                        user,
                        model,
                        "write",
                        record.ids,
                        {"sequence": 99} if "sequence" in record._fields else {"name": "x"},
                    )
                    self.assertRefused(user, model, "unlink", record.ids)

    def test_integration_credentials_hidden_from_business_roles(self):
        endpoint = self.env["wisdom.integration.endpoint"].search([], limit=1)
        for user in (
            self.rep_a1,
            self.manager_a,
            self.director,
            self.finance,
            self.product_manager,
            self.contract_admin,
        ):
            with self.subTest(user=user.login):
                self.assertRefused(user, "wisdom.integration.endpoint", "read", endpoint.ids, fields=["name"])
                self.assertRefused(user, "wisdom.integration.message", "search_read", [], fields=["payload"])
