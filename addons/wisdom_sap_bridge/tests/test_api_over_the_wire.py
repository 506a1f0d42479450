"""The SAP bridge's public methods called over the wire as the role that would call them: once
through JSON-2 and once through XML-RPC, against the fake SAP on 127.0.0.1. A fault, an HTTP error,
a value XML-RPC cannot carry or a public method the flow forgot to call fails the test."""

from datetime import date

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.wisdom_fulfillment.tests.wire import OverTheWireMixin, public_methods

from .common import SapBridgeCase


class SapApiCase(OverTheWireMixin, HttpCase, SapBridgeCase):
    def _flow(self):
        rep, manager, admin = self.rep_a1, self.manager_a, self.contract_admin
        self.env["wisdom.shipment.condition"].search([]).action_archive()  # tested in wisdom_fulfillment
        order = self._contract(payment_term_line_ids=[Command.create({"kind": "delivery", "percent": 100, "days": 30})])
        with trap_jobs() as trap:
            # the rep signs: the SAP order is queued; the contract admin sends it (again) and the customer
            self.assertTrue(self.call(rep, "sale.order", "action_confirm", order.ids))
            self.call(admin, "sale.order", "action_wisdom_sap_send", order.ids)
            self.call(admin, "res.partner", "action_wisdom_sap_send_customer", self.customer_a1.ids)
            self.run_jobs(trap)
            self.assertTrue(order.sap_order_no)
            self.assertEqual(len(self.sap.calls("ZWisdomSalesorderCreate")), 1, "sent once")
            # an approved shipment request goes to SAP as a delivery
            request = (
                self.env["wisdom.shipment.request"]
                .with_user(rep)
                .create(
                    {
                        "order_id": order.id,
                        "requested_date": date(2026, 5, 4),
                        "line_ids": [Command.create({"sale_line_id": order.order_line[0].id, "quantity": 4})],
                    }
                )
            )
            request.with_user(rep).action_request()
            request.with_user(manager).action_approve()
            self.call(manager, "wisdom.shipment.request", "action_wisdom_sap_send_delivery", request.ids)
            self.run_jobs(trap)
        self.assertEqual(request.sap_delivery_state, "done")
        self.assertEqual(len(self.sap.created_deliveries), 1)
        # the product manager requests the material codes of a demand's new items from PLM
        self.plm_endpoint.active = False
        demand, lines, _trap = self.coding_demand(new_items=("Explosion-proof terminal",))
        self.plm_endpoint.active = True
        with trap_jobs() as trap:
            self.call(self.product_manager, "wisdom.contract.demand", "action_wisdom_plm_request", demand.ids)
            self.run_jobs(trap)
        self.assertEqual(lines.plm_state, "requested")
        missing = public_methods(self.env, ("wisdom_sap_bridge",)) - self.called
        self.assertFalse(missing, "public methods never called over the wire")


@tagged("post_install", "-at_install")
class TestSapApiOverJson2(SapApiCase):
    def test_every_public_method_over_json2(self):
        self.protocol = self._json2
        self._flow()


@tagged("post_install", "-at_install")
class TestSapApiOverXmlRpc(SapApiCase):
    def test_every_public_method_over_xmlrpc(self):
        self.protocol = self._xmlrpc
        self._flow()
