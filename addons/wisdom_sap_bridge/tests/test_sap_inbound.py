"""SAP pushes receipts (回款) and deliveries (发货) over HTTP with a bearer token: each document is booked
once, a failure leaves a dead message with its error and nothing booked, and the admin's retry books it."""

import json
from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import OwnCursorJobsMixin, SapBridgeCase

TOKEN = "sap-inbound-7f3c9a1e5b2d4c6e8a0b1d3f5e7c9a2b"


@tagged("post_install", "-at_install")
class TestSapInbound(OwnCursorJobsMixin, HttpCase, SapBridgeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sap_endpoint.inbound_token = TOKEN
        cls.env["wisdom.shipment.condition"].search([]).action_archive()  # tested in wisdom_fulfillment
        cls.Payment = cls.env["account.payment"]

    def push(self, operation, body, token=TOKEN):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        response = self.url_open(f"/wisdom_sap/inbound/{operation}", data=data, headers=headers)
        return response.status_code, response.json()

    def signed(self, sap_order_no, rep=None, **values):
        """A contract of the rep's customer (A1's by default) signed and known to SAP under ``sap_order_no``."""
        rep = rep or self.rep_a1
        order = self._contract(rep, **values)
        with trap_jobs():
            order.with_user(rep).action_confirm()
        order.sudo().sap_order_no = sap_order_no
        self.assertEqual(order.state, "sale")
        return order

    def receipt(self, document, amount, **values):
        return {
            "document_no": document,
            "customer_no": "100234",  # SAP may drop the leading zeros of 0000100234
            "amount": amount,
            "currency": "CNY",
            "value_date": "20260310",
            **values,
        }

    def test_same_document_number_in_another_year_or_company_is_another_receipt(self):
        """SAP numbers accounting documents per company code and fiscal year: 1400000060 of 2027 and of
        company 2000 are not the 2026 one pushed again."""
        pushes = [
            self.receipt("1400000060", 100),
            self.receipt("1400000060", 100, value_date="20270105"),
            self.receipt("1400000060", 100, company_code="2000", fiscal_year="2026"),
            self.receipt("1400000060", 100, fiscal_year=2026),  # the first one again, its year given
        ]
        answers = [self.push("receipt", body) for body in pushes]
        self.assertEqual([status for status, __ in answers], [200, 200, 200, 200])
        self.assertEqual([answer["already_received"] for __, answer in answers], [False, False, False, True])
        self.assertEqual(
            [answer["document"] for __, answer in answers],
            ["2026/1400000060", "2027/1400000060", "2000/2026/1400000060", "2026/1400000060"],
        )
        self.assertEqual(len(self.booked("1400000060")), 3)

    def booked(self, document):
        return self.Payment.sudo().search([("sap_document_no", "=", document)])

    # RECEIPTS

    def test_bad_or_missing_token_is_refused_and_nothing_recorded(self):
        messages, payments = self.Message.search_count([]), self.Payment.search_count([])
        for token in (None, "wrong", TOKEN[:-1], TOKEN + "x"):
            with self.subTest(token=token):
                status, body = self.push("receipt", self.receipt("1400000001", 100), token=token)
                self.assertEqual((status, body["error"]), (401, "unauthorized"))
        self.sap_endpoint.active = False
        self.assertEqual(self.push("receipt", self.receipt("1400000001", 100))[0], 401)
        self.assertEqual((self.Message.search_count([]), self.Payment.search_count([])), (messages, payments))

    def test_malformed_body_is_refused_with_the_reason(self):
        messages = self.Message.search_count([])
        for body, reason in (
            (b"{not json", "not valid JSON"),
            ("[1, 2]", "JSON object"),
            ({"document_no": "1400000002", "customer_no": "100234", "currency": "CNY"}, "'amount' is missing"),
            (self.receipt("1400000002", 100, value_date="10.03.2026"), "'value_date' must be a date"),
        ):
            with self.subTest(reason=reason):
                status, answer = self.push("receipt", body)
                self.assertEqual((status, answer["error"]), (400, "bad_request"))
                self.assertIn(reason, answer["message"])
        self.assertEqual(self.Message.search_count([]), messages)

    def test_receipt_becomes_one_posted_payment_with_its_contract_suggested_first(self):
        older = self.signed("0000012344")
        order = self.signed("0000012345")
        instalments = {
            o: o.plan_line_ids.filtered("residual").sorted(lambda ln: (ln.due_date or date.max, ln.sequence, ln.id))
            for o in (older, order)
        }
        amount = sum(instalments[order].mapped("residual")) + 100
        status, answer = self.push("receipt", self.receipt("1400000010", amount, contract_ref="12345"))
        self.assertEqual((status, answer["state"], answer["already_received"]), (200, "done", False))
        payment = self.booked("1400000010")
        self.assertEqual(len(payment), 1)
        self.assertIn(payment.state, ("in_process", "paid"), "posted")
        self.assertEqual(
            (payment.payment_type, payment.partner_id, payment.amount, payment.date, payment.sap_order_id),
            ("inbound", self.customer_a1, amount, date(2026, 3, 10), order),
        )
        # the named contract's instalments first, then FIFO over the customer's others; nothing confirmed
        drafts = payment.wisdom_allocation_ids.sorted("id")
        self.assertEqual(set(drafts.mapped("state")), {"draft"})
        self.assertEqual(drafts[:-1].plan_line_id, instalments[order])
        self.assertEqual(drafts[:-1].mapped("amount"), instalments[order].mapped("residual"))
        self.assertEqual((drafts[-1].plan_line_id, drafts[-1].amount), (instalments[older][0], 100))
        self.assertEqual(payment.wisdom_collection_state, "to_confirm")
        self.assertTrue(payment.activity_ids.filtered(lambda a: a.user_id == self.rep_a1), "the rep confirms it")
        self.assertEqual(answer["result"]["payment"], payment.name)
        self.assertEqual([s["amount"] for s in answer["result"]["suggested"]], drafts.mapped("amount"))
        self.assertEqual(answer["result"]["suggested"][0]["sap_order_no"], "0000012345")
        message = self.Message.browse(answer["message_id"])
        self.assertEqual(
            (message.direction, message.system, message.operation, message.idempotency_key, message.res_id),
            ("inbound", "sap", "receipt", "2026/1400000010", payment.id),
        )
        # the rep confirms the suggestion as for any collection
        payment.with_user(self.rep_a1).action_wisdom_confirm_allocation()
        self.assertEqual(instalments[order].mapped("residual"), [0] * len(instalments[order]))

    def test_without_contract_the_oldest_instalment_is_suggested(self):
        older = self.signed("0000012344")
        self.signed("0000012345")
        status, answer = self.push("receipt", self.receipt("1400000011", 50))
        self.assertEqual(status, 200)
        [draft] = self.booked("1400000011").wisdom_allocation_ids
        self.assertEqual((draft.order_id, draft.amount), (older, 50))

    def test_same_document_twice_is_booked_once(self):
        self.signed("0000012345")
        first = self.push("receipt", self.receipt("1400000020", 300))
        second = self.push("receipt", self.receipt("1400000020", 300))
        self.assertEqual((first[0], second[0]), (200, 200))
        self.assertEqual((first[1]["already_received"], second[1]["already_received"]), (False, True))
        self.assertEqual(first[1]["result"], second[1]["result"])
        self.assertEqual(len(self.booked("1400000020")), 1)
        self.assertEqual(self.Message.search_count([("idempotency_key", "=", "2026/1400000020")]), 1)

    def test_unknown_customer_fails_until_it_has_its_sap_number(self):
        self.signed("0000012345", rep=self.rep_a2)
        status, answer = self.push("receipt", self.receipt("1400000030", 200, customer_no="0000777001"))
        self.assertEqual((status, answer["state"]), (202, "dead"))
        self.assertIn("0000777001", answer["error"])
        message = self.Message.browse(answer["message_id"])
        self.assertEqual((message.state, message.direction), ("dead", "inbound"))
        self.assertIn("0000777001", message.last_error)
        self.assertFalse(self.booked("1400000030"))
        self.assertEqual(self.sap_endpoint.dead_message_count, 1, "on the integration dashboard")
        # SAP pushing it again changes nothing: the admin fixes the customer and retries
        self.assertEqual(self.push("receipt", self.receipt("1400000030", 200, customer_no="0000777001"))[0], 202)
        self.customer_a2.sap_customer_no = "777001"
        with trap_jobs() as trap:
            message.with_user(self.integration_admin).action_retry()
            trap.assert_jobs_count(1)
            self.run_jobs(trap)
        self.assertEqual(message.state, "done")
        payment = self.booked("1400000030")
        self.assertEqual((len(payment), payment.partner_id, payment.amount), (1, self.customer_a2, 200))
        self.assertTrue(payment.wisdom_allocation_ids)
        status, answer = self.push("receipt", self.receipt("1400000030", 200, customer_no="0000777001"))
        self.assertEqual((status, answer["already_received"], answer["result"]["payment_id"]), (200, True, payment.id))

    def test_failure_after_the_payment_leaves_nothing_half_written(self):
        self.signed("0000012345")
        moves = self.env["account.move"].search_count([])
        with patch.object(
            type(self.Payment), "action_wisdom_suggest_allocation", side_effect=UserError("allocation broke")
        ):
            status, answer = self.push("receipt", self.receipt("1400000040", 300))
        self.assertEqual((status, answer["state"], answer["error"]), (202, "dead", "allocation broke"))
        self.assertFalse(self.booked("1400000040"))
        self.assertEqual(self.env["account.move"].search_count([]), moves)
        with trap_jobs() as trap:
            self.Message.browse(answer["message_id"]).with_user(self.integration_admin).action_retry()
            self.run_jobs(trap)
        self.assertEqual(len(self.booked("1400000040")), 1)

    def test_contract_reference_of_another_customer_is_refused(self):
        self.signed("0000012345", rep=self.rep_b1)
        status, answer = self.push("receipt", self.receipt("1400000050", 300, contract_ref="12345"))
        self.assertEqual((status, answer["state"]), (202, "dead"))
        self.assertIn("12345", answer["error"])
        self.assertFalse(self.booked("1400000050"))

    def test_token_for_the_integration_admin_only(self):
        for user in (self.rep_a1, self.finance, self.contract_admin):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.sap_endpoint.with_user(user).read(["inbound_token"])
        self.assertEqual(self.sap_endpoint.with_user(self.integration_admin).inbound_token, TOKEN)
        with self.assertRaisesRegex(UserError, "cannot be exported"):
            self.sap_endpoint.with_user(self.integration_admin).export_data(["name", "inbound_token"])

    # DELIVERIES

    def delivery(self, document, order_no, items):
        return {"delivery_no": document, "sales_order_no": order_no, "goods_issue_date": "2026-05-05", "items": items}

    def test_delivery_sent_from_the_crm_is_confirmed_shipped_with_sap_quantities(self):
        order = self.signed("0000012346", payment_term_line_ids=[Command.create({"kind": "delivery", "percent": 100})])
        request = (
            self.env["wisdom.shipment.request"]
            .with_user(self.rep_a1)
            .create(
                {
                    "order_id": order.id,
                    "line_ids": [Command.create({"sale_line_id": order.order_line.id, "quantity": 4})],
                }
            )
        )
        request.with_user(self.rep_a1).action_request()
        request.with_user(self.manager_a).action_approve()
        request.sudo().with_context(wisdom_shipment_step=True).write(
            {"state": "sap_sent", "sap_delivery_no": "0080000042"}
        )
        status, answer = self.push(
            "delivery", self.delivery("80000042", "12346", [{"material": "MAT-3P-METER", "quantity": "3"}])
        )
        self.assertEqual((status, answer["state"]), (200, "done"), answer)
        self.assertEqual(
            (request.state, request.line_ids.shipped_qty, request.ship_date), ("shipped", 3, date(2026, 5, 5))
        )
        self.assertEqual(order.order_line.qty_delivered, 3)
        self.assertAlmostEqual(order.shipped_percent, 30)
        self.assertEqual(answer["result"]["shipment_request"], request.name)
        # pushed again: recorded once
        self.assertEqual(
            self.push("delivery", self.delivery("80000042", "12346", [{"material": "MAT-3P-METER", "quantity": "3"}]))[
                1
            ]["already_received"],
            True,
        )
        self.assertEqual(order.order_line.qty_delivered, 3)

    def test_delivery_found_by_the_crm_reference_before_sap_answered_the_crm(self):
        order = self.signed("0000012349", payment_term_line_ids=[Command.create({"kind": "delivery", "percent": 100})])
        request = (
            self.env["wisdom.shipment.request"]
            .with_user(self.rep_a1)
            .create(
                {
                    "order_id": order.id,
                    "line_ids": [Command.create({"sale_line_id": order.order_line.id, "quantity": 4})],
                }
            )
        )
        request.with_user(self.rep_a1).action_request()
        request.with_user(self.manager_a).action_approve()
        body = self.delivery("80000045", "12349", [{"material": "MAT-3P-METER", "quantity": 4}])
        status, answer = self.push("delivery", {**body, "crm_reference": request.name})
        self.assertEqual((status, answer["result"]["shipment_request_id"]), (200, request.id))
        self.assertEqual((request.state, request.sap_delivery_no), ("shipped", "80000045"))
        self.assertEqual(self.env["wisdom.shipment.request"].search_count([("order_id", "=", order.id)]), 1)

    def test_delivery_made_in_sap_creates_a_shipped_request(self):
        order = self.signed("0000012347", payment_term_line_ids=[Command.create({"kind": "delivery", "percent": 100})])
        status, answer = self.push(
            "delivery", self.delivery("80000043", "0000012347", [{"order_item": "10", "quantity": 10}])
        )
        self.assertEqual((status, answer["state"]), (200, "done"), answer)
        request = self.env["wisdom.shipment.request"].search([("order_id", "=", order.id)])
        self.assertEqual(
            (request.state, request.sap_delivery_no, request.line_ids.shipped_qty), ("shipped", "80000043", 10)
        )
        self.assertEqual(order.order_line.qty_delivered, 10)
        self.assertAlmostEqual(order.shipped_percent, 100)

    def test_delivery_of_an_unknown_material_fails_with_nothing_shipped(self):
        order = self.signed("0000012348")
        status, answer = self.push(
            "delivery", self.delivery("80000044", "12348", [{"material": "MAT-NOPE", "quantity": 1}])
        )
        self.assertEqual((status, answer["state"]), (202, "dead"))
        self.assertIn("MAT-NOPE", answer["error"])
        self.assertFalse(self.env["wisdom.shipment.request"].search([("order_id", "=", order.id)]))
        self.assertEqual(order.order_line.qty_delivered, 0)
