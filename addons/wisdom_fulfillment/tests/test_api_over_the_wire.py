"""Every public action and documented method of the suite's contract and fulfilment models, called
over the wire as the role that would call it: once through JSON-2 (``/json/2/<model>/<method>``,
bearer API key) and once through XML-RPC. A fault, an HTTP error or a value the protocol cannot carry
(``None`` over XML-RPC) fails the test, and so does a public method the flow forgot to call."""

import base64
from datetime import date, timedelta

from odoo.tests import HttpCase, tagged

from odoo.addons.wisdom_contract.tests.common import WisdomContractCase
from odoo.addons.wisdom_contract.tests.test_template_archive import agreement_pdf
from odoo.addons.wisdom_fulfillment.tests.wire import OverTheWireMixin, public_methods

OUR_ADDONS = ("wisdom_contract", "wisdom_fulfillment")
# Odoo / OCA methods the README tells integrators to call: they must answer a value too.
DOCUMENTED_STANDARD = {
    ("sale.order", "action_confirm"),
    ("sale.order", "request_validation"),
    ("sale.order", "validate_tier"),
    ("sale.order", "reject_tier"),
    ("sale.order", "restart_validation"),
    ("account.payment", "action_post"),
    ("wisdom.receivable.disposal", "request_validation"),
    ("wisdom.receivable.disposal", "validate_tier"),
    ("wisdom.receivable.disposal", "reject_tier"),
    ("wisdom.receivable.disposal", "restart_validation"),
}


class ApiFlowCase(OverTheWireMixin, HttpCase, WisdomContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the shipping conditions are tested in test_shipment; here every request may go
        cls.env["wisdom.shipment.condition"].search([]).action_archive()
        cls.leads[cls.rep_a1].type = "opportunity"
        cls.template = cls.env["wisdom.contract.template"].create({"name": "API test template"})
        cls.template_files = cls.env["wisdom.contract.template.file"].create(
            [
                {"template_id": cls.template.id, "file": base64.b64encode(b"v1"), "file_name": "v1.docx"},
                {"template_id": cls.template.id, "file": base64.b64encode(b"v2"), "file_name": "v2.docx"},
            ]
        )

    # the flow of a contract from demand to collection, each step by its role

    def _demand_flow(self):
        rep, pm, admin = self.rep_a1, self.product_manager, self.contract_admin
        action = self.call(rep, "crm.lead", "action_wisdom_demands", [self.leads[rep].id])
        self.assertEqual(action["res_model"], "wisdom.contract.demand")
        demand = self.make(
            rep,
            "wisdom.contract.demand",
            {
                "partner_id": self.customer_a1.id,
                "line_ids": [
                    (0, 0, {"product_id": self.meter.id, "quantity": 10, "target_price": 560}),
                    (0, 0, {"name": "Explosion-proof terminal", "quantity": 2, "target_price": 3000}),
                    (0, 0, {"name": "Meter box", "quantity": 1}),
                ],
            },
        )
        demand.write({"product_manager_id": pm.id, "contract_admin_id": admin.id})
        self.call(rep, "wisdom.contract.demand", "action_submit", demand.ids)
        standard, custom, box = demand.line_ids.sorted("id")
        self.call(pm, "wisdom.contract.demand.line", "action_accept", standard.ids)
        self.call(pm, "wisdom.contract.demand.line", "action_needs_code", custom.ids)
        self.call(pm, "wisdom.contract.demand.line", "action_reject_line", box.ids)
        self.call(pm, "wisdom.contract.demand", "action_pm_approve", demand.ids)
        self.call(admin, "wisdom.contract.demand", "action_contract_approve", demand.ids)
        self.call(pm, "wisdom.contract.demand.line", "write", custom.ids, vals={"material_code": "WS-API-01"})
        self.call(pm, "wisdom.contract.demand", "action_coding_done", demand.ids)
        action = self.call(rep, "wisdom.contract.demand", "action_create_contract", demand.ids)
        self.assertTrue(action["res_id"])
        self.assertEqual(
            self.call(rep, "wisdom.contract.demand", "action_view_orders", demand.ids)["domain"],
            [["demand_id", "=", demand.id]],
        )
        other = self.make(
            rep,
            "wisdom.contract.demand",
            {"partner_id": self.customer_a1.id, "line_ids": [(0, 0, {"name": "Meter box"})]},
        )
        other.write({"product_manager_id": pm.id})
        self.call(rep, "wisdom.contract.demand", "action_submit", other.ids)
        self.call(pm, "wisdom.contract.demand", "write", other.ids, vals={"reason": "No such box"})
        self.call(pm, "wisdom.contract.demand", "action_reject", other.ids)
        self.call(rep, "wisdom.contract.demand", "action_reset_draft", other.ids)
        self.call(rep, "wisdom.contract.demand", "action_cancel", other.ids)
        self.assertEqual(other.state, "cancel")
        self.call(admin, "wisdom.contract.template.file", "action_make_current", self.template_files[:1].ids)
        self.assertTrue(self.template_files[0].is_current)

    def _contract_flow(self):
        rep, director = self.rep_a1, self.director
        vals = {
            "partner_id": self.customer_a1.id,
            "user_id": rep.id,
            "team_id": self.team_a.id,
            "warranty_months": 12,
            "order_line": [(0, 0, {"product_id": self.meter.id, "product_uom_qty": 10, "price_unit": 450.0})],
            "payment_term_line_ids": [
                (0, 0, {"kind": "prepayment", "percent": 30, "sequence": 1}),
                (0, 0, {"kind": "delivery", "percent": 60, "sequence": 2}),
                (0, 0, {"kind": "retention", "percent": 10, "sequence": 3}),
            ],
        }
        order = self.make(rep, "sale.order", vals)
        findings = self.call(rep, "sale.order", "wisdom_review_findings", order.ids)
        self.assertEqual([f["approver_role"] for f in findings if f["result"] == "approval"], ["director"])
        self.call(rep, "sale.order", "action_wisdom_apply_template", order.ids)
        self.call(rep, "sale.order", "action_wisdom_submit_review", order.ids)
        self.call(director, "sale.order", "validate_tier", order.ids)
        self.call(rep, "sale.order", "action_confirm", order.ids)
        self.assertEqual(order.state, "sale")
        self.env["wisdom.contract.document"].create(
            {
                "order_id": order.id,
                "category": "technical_agreement",
                "attachment": base64.b64encode(agreement_pdf(1)),
                "attachment_name": "agreement.pdf",
            }
        )
        self.assertEqual(
            self.call(rep, "sale.order", "action_wisdom_merged_annex_pdf", order.ids)["type"], "ir.actions.act_url"
        )
        # a second quotation: rejected, then reworked
        second = self.make(rep, "sale.order", vals)
        self.call(rep, "sale.order", "action_wisdom_submit_review", second.ids)
        self.call(rep, "sale.order", "request_validation", second.ids)
        self.call(director, "sale.order", "reject_tier", second.ids)
        self.call(rep, "sale.order", "restart_validation", second.ids)
        self.call(rep, "sale.order", "action_draft", second.ids)
        return order

    def _fulfilment_flow(self, order):
        rep, manager, director, finance = self.rep_a1, self.manager_a, self.director, self.finance
        self.call(rep, "sale.order", "action_wisdom_view_plan", order.ids)
        self.call(rep, "sale.order", "action_wisdom_view_shipments", order.ids)
        self.call(finance, "sale.order", "action_wisdom_regenerate_plan", order.ids)
        payment = self.make(
            finance,
            "account.payment",
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer_a1.id,
                "amount": 1350.0,
            },
        )
        self.call(finance, "account.payment", "action_post", payment.ids)
        self.call(finance, "account.payment", "action_wisdom_suggest_allocation", payment.ids)
        self.call(finance, "account.payment", "action_wisdom_confirm_allocation", payment.ids)
        self.assertEqual(order.collected_amount, 1350.0)
        # three partial shipments: the normal way, after a cancellation with the director's override,
        # and overridden from the form
        Request = "wisdom.shipment.request"

        def new_request(quantity=None):
            action = self.call(rep, "sale.order", "action_wisdom_new_shipment", order.ids)
            request = self.env[Request].browse(action["res_id"])
            if quantity:
                self.call(
                    rep, "wisdom.shipment.request.line", "write", request.line_ids.ids, vals={"quantity": quantity}
                )
            return request

        first = new_request(4)
        self.call(rep, Request, "action_request", first.ids)
        self.call(manager, Request, "action_approve", first.ids)
        self.call(rep, Request, "action_confirm_shipped", first.ids, ship_date=str(date.today()))
        self.assertEqual(first.line_ids.shipped_qty, 4, "shipped defaults to the requested quantity")
        second = new_request(3)
        self.call(rep, Request, "action_cancel", second.ids)
        self.call(rep, Request, "action_draft", second.ids)
        self.call(director, Request, "action_override", second.ids, reason="客户急需")
        self.call(manager, Request, "action_approve", second.ids)
        self.call(rep, Request, "action_confirm_shipped", second.ids)
        third = new_request()
        self.call(director, Request, "write", third.ids, vals={"override_reason": "项目节点"})
        self.call(director, Request, "action_override_from_form", third.ids)
        self.call(manager, Request, "action_approve", third.ids)
        self.call(rep, Request, "action_confirm_shipped", third.ids)
        self.assertEqual(order.order_line.qty_delivered, 10)
        # finance works the plan
        line = order.plan_line_ids.filtered(lambda ln: ln.kind == "delivery")[:1]
        self.assertEqual(
            self.call(finance, "wisdom.collection.plan.line", "action_adjust", line.ids)["res_model"],
            "wisdom.plan.adjust.wizard",
        )
        wizard = self.make(
            finance,
            "wisdom.plan.adjust.wizard",
            {
                "plan_line_id": line.id,
                "mode": "move",
                "due_date": str(date.today() + timedelta(days=20)),
                "reason": "客户申请",
            },
        )
        self.call(finance, "wisdom.plan.adjust.wizard", "action_apply", wizard.ids)
        self.assertTrue(
            self.call(
                finance, "wisdom.collection.plan.line", "wisdom_cash_forecast", domain=[["order_id", "=", order.id]]
            )
        )
        self.call(rep, "wisdom.collection.plan.line", "action_dispose", line.ids)
        # disposals: approved and carried out, rejected and withdrawn
        Disposal = "wisdom.receivable.disposal"
        dunning = self.make(rep, Disposal, {"plan_line_id": line.id, "kind": "dunning", "reason": "催款"})
        self.call(rep, Disposal, "request_validation", dunning.ids)
        self.call(finance, Disposal, "validate_tier", dunning.ids)
        self.call(finance, Disposal, "action_done", dunning.ids)
        self.call(rep, Disposal, "action_print_dunning", dunning.ids)
        extension = self.make(
            rep,
            Disposal,
            {
                "plan_line_id": line.id,
                "kind": "extension",
                "reason": "延期",
                "new_due_date": str(date.today() + timedelta(days=60)),
            },
        )
        self.call(rep, Disposal, "request_validation", extension.ids)
        self.call(finance, Disposal, "reject_tier", extension.ids)
        self.call(rep, Disposal, "restart_validation", extension.ids)
        self.call(rep, Disposal, "action_cancel", extension.ids)
        self.assertEqual(extension.state, "cancel")

    def _run_flow(self):
        self._demand_flow()
        order = self._contract_flow()
        self._fulfilment_flow(order)
        missing = (public_methods(self.env, OUR_ADDONS) | DOCUMENTED_STANDARD) - self.called
        self.assertFalse(missing, "public methods never called over the wire")


@tagged("post_install", "-at_install")
class TestApiOverJson2(ApiFlowCase):
    def test_every_public_method_over_json2(self):
        self.protocol = self._json2
        self._run_flow()


@tagged("post_install", "-at_install")
class TestApiOverXmlRpc(ApiFlowCase):
    def test_every_public_method_over_xmlrpc(self):
        self.protocol = self._xmlrpc
        self._run_flow()
