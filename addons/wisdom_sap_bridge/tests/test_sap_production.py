"""SAP pushes its production orders and their costs (生产订单与成本) for the contract lines: recorded once per
order and change, older changes ignored, an unknown sales order kept for a retry, the real margin next to
the estimated one, read by the contract's readers and written by nobody but the bridge."""

import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import OwnCursorJobsMixin, SapBridgeCase

TOKEN = "sap-inbound-7f3c9a1e5b2d4c6e8a0b1d3f5e7c9a2b"


class SapPushMixin(OwnCursorJobsMixin):
    """Pushing to the SAP inbound endpoints with the endpoint's token, and signed contracts."""

    def push(self, operation, body, token=TOKEN):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        response = self.url_open(f"/wisdom_sap/inbound/{operation}", data=data, headers=headers)
        self.env.invalidate_all()
        return response.status_code, response.json()

    def signed(self, sap_order_no, rep=None, **values):
        rep = rep or self.rep_a1
        order = self._contract(rep, **values)
        with trap_jobs():
            order.with_user(rep).action_confirm()
        order.sudo().sap_order_no = sap_order_no
        return order

    def production(self, number, change, order_no="0000012345", **values):
        return {
            "production_order_no": number,
            "change_counter": change,
            "sales_order_no": order_no,
            "sales_order_item": "000010",
            "status": "REL",
            "planned_qty": 10,
            "actual_qty": 0,
            "planned_start": "20260504",
            "planned_end": "20260520",
            "currency": self.env.company.currency_id.name,
            "planned_cost": "3500.00",
            "actual_cost": "0",
            **values,
        }


@tagged("post_install", "-at_install")
class TestSapProduction(SapPushMixin, HttpCase, SapBridgeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sap_endpoint.inbound_token = TOKEN
        cls.Production = cls.env["wisdom.sap.production.order"]

    def test_production_order_lands_on_the_line_and_the_real_margin(self):
        order = self.signed("0000012345")  # 10 meters at 600, estimated cost 380 each: margin 2,200
        line = order.order_line
        self.assertAlmostEqual(order.margin_company, 2200)
        status, answer = self.push("production", self.production("1000100", 1))
        self.assertEqual((status, answer["state"], answer["already_received"]), (200, "done", False), answer)
        self.assertEqual(answer["document"], "1000100:1")
        self.assertEqual(answer["result"]["production_order"], "1000100")
        self.assertEqual(
            (line.sap_production_order_nos, line.sap_production_status, line.sap_planned_qty, line.sap_planned_cost),
            ("1000100", "released", 10, 3500),
        )
        self.assertEqual(order.production_order_nos, "1000100")
        # running: SAP's planned cost replaces the estimate (3,800 → 3,500)
        self.assertEqual((order.sap_estimated_cost, order.sap_planned_cost), (3800, 3500))
        self.assertAlmostEqual(order.sap_real_margin, 2500)
        # finished: the actual cost counts
        status, answer = self.push(
            "production",
            self.production(
                "1000100", 2, status="REL CNF", actual_qty=10, actual_cost="4100.50", actual_end="20260519"
            ),
        )
        self.assertEqual(status, 200)
        self.assertEqual(
            (line.sap_production_status, line.sap_actual_qty, line.sap_actual_cost), ("confirmed", 10, 4100.5)
        )
        self.assertAlmostEqual(order.sap_real_margin, 1899.5)
        self.assertAlmostEqual(order.margin_company, 2200, msg="the reviewed estimate stays")
        self.assertEqual(len(self.Production.search([("order_id", "=", order.id)])), 1)

    def test_same_change_twice_is_recorded_once_and_an_older_change_is_ignored(self):
        order = self.signed("0000012345")
        first = self.push("production", self.production("1000200", 5, actual_qty=6, status="PCNF"))
        again = self.push("production", self.production("1000200", 5, actual_qty=6, status="PCNF"))
        self.assertEqual((first[1]["already_received"], again[1]["already_received"]), (False, True))
        self.assertEqual(first[1]["result"], again[1]["result"])
        self.assertEqual(self.Message.search_count([("operation", "=", "production")]), 1)
        # an older change arriving late (SAP's queue, or the poll) changes nothing
        status, answer = self.push("production", self.production("1000200", 3, actual_qty=2, status="REL"))
        self.assertEqual((status, answer["result"]["ignored_as_older"]), (200, True))
        line = order.order_line
        self.assertEqual((line.sap_actual_qty, line.sap_production_status), (6, "partly_confirmed"))
        production = self.Production.search([("name", "=", "1000200")])
        self.assertEqual(production.sap_change, "5")

    def test_unknown_sales_order_is_kept_and_applied_on_retry(self):
        body = self.production("1000300", 1, order_no="0000099999")
        status, answer = self.push("production", body)
        self.assertEqual((status, answer["state"]), (202, "dead"))
        self.assertIn("0000099999", answer["error"])
        self.assertFalse(self.Production.search([("name", "=", "1000300")]))
        order = self.signed("99999")  # the contract appears (SAP's number without its zeros)
        message = self.Message.browse(answer["message_id"])
        with trap_jobs() as trap:
            message.with_user(self.integration_admin).action_retry()
            self.run_jobs(trap)
        self.assertEqual(message.state, "done")
        self.assertEqual(order.order_line.sap_production_order_nos, "1000300")

    def test_linked_by_contract_number_and_material(self):
        terminal = self.env["product.product"].create(
            {"name": "Terminal", "default_code": "MAT-TERM", "list_price": 90.0, "standard_price": 40.0}
        )
        order = self.signed(False, lines=[(terminal, 5, 90.0), (self.meter, 10, 600.0)])
        self.assertEqual(order.state, "sale")
        body = self.production(
            "1000400", 1, order_no="", sales_order_item="", contract_ref=order.contract_no, material="MAT-3P-METER"
        )
        self.assertEqual(self.push("production", body)[0], 200)
        meter_line = order.order_line.filtered(lambda line: line.product_id == self.meter)
        self.assertEqual(meter_line.sap_production_order_nos, "1000400")
        self.assertFalse((order.order_line - meter_line).sap_production_order_nos)

    def test_malformed_production_orders_are_refused(self):
        self.signed("0000012345")
        for body, reason in (
            ({**self.production("1000500", 1), "change_counter": None}, "'change_counter' is missing"),
            (self.production("1000500", 1, status="XXXX"), "Unknown production status"),
            (self.production("1000500", 1, actual_cost="-5"), "must not be negative"),
            (self.production("1000500", 1, sales_order_no=""), "Give the contract"),
        ):
            with self.subTest(reason=reason):
                status, answer = self.push("production", body)
                self.assertEqual(status, 400)
                self.assertIn(reason, answer["message"])
        self.assertEqual(self.push("production", self.production("1000500", 1), token="wrong")[0], 401)
        self.assertFalse(self.Message.search_count([("operation", "=", "production")]))

    def test_keys_and_statuses_of_another_installation_are_configuration(self):
        self.sap_endpoint.rest_mapping = json.dumps(
            {"production": {"document": "AUFNR", "change": "CHANGED_AT"}, "production_status_map": {"ZFIN": "closed"}}
        )
        order = self.signed("0000012345")
        body = self.production("x", 1, status="ZFIN", actual_cost="3000")
        body = {**{k: v for k, v in body.items() if k not in ("production_order_no", "change_counter")}}
        status, answer = self.push("production", {**body, "AUFNR": "1000600", "CHANGED_AT": "20260510101500"})
        self.assertEqual(status, 200, answer)
        self.assertEqual(order.order_line.sap_production_status, "closed")
        self.assertAlmostEqual(order.sap_real_margin, 3000)

    def test_reps_read_their_contracts_production_and_cannot_write_it(self):
        order = self.signed("0000012345")
        self.push("production", self.production("1000700", 1))
        production = self.Production.search([("name", "=", "1000700")])
        for user in (self.rep_a1, self.manager_a, self.director, self.finance, self.contract_admin):
            with self.subTest(user=user.login):
                self.assertEqual(self.Production.with_user(user).search([("order_id", "=", order.id)]), production)
                self.assertEqual(order.order_line.with_user(user).sap_production_order_nos, "1000700")
                with self.assertRaises(AccessError):
                    production.with_user(user).write({"actual_cost": 1})
                with self.assertRaises(AccessError):
                    self.Production.with_user(user).create({"name": "X1", "line_id": order.order_line.id})
        self.assertFalse(self.Production.with_user(self.rep_b1).search([("order_id", "=", order.id)]))
        with self.assertRaises(AccessError):
            production.with_user(self.rep_b1).read(["actual_cost"])
