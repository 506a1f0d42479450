"""SAP sales orders from confirmed contracts over SOAP, through the fake SAP: success, BAPIRET2
errors, SOAP Fault, 401, timeout and lost replies, all through the integration core's queue."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import SAP_PASSWORD, SapBridgeCase
from .fake_sap import LOGON_PAGE


@tagged("post_install", "-at_install")
class TestSapSalesOrder(SapBridgeCase):
    def confirm(self, rep=None, **values):
        order = self._contract(rep, **values)
        order.with_user(rep or self.rep_a1).action_confirm()
        return order, order.sudo().sap_message_id

    def test_confirmed_contract_creates_the_sap_order(self):
        with trap_jobs() as trap:
            order, message = self.confirm()
            self.assertEqual(order.state, "sale", "confirmation does not wait for SAP")
            self.assertEqual((order.sap_state, message.state), ("queued", "pending"))
            trap.assert_enqueued_job(
                message._wisdom_job_send, properties={"channel": "root.wisdom_integration.sap", "max_retries": 4}
            )
            self.assertEqual(message.idempotency_key, f"sale.order:{order.contract_no}")
            self.assertFalse(self.sap.received, "nothing is sent in the user's transaction")
            self.run_jobs(trap)
        [(reference, number)] = self.sap.created
        self.assertEqual(reference, order.contract_no)
        self.assertEqual((order.sap_order_no, order.sap_state, order.sap_error), (number, "done", False))
        self.assertEqual(message.wisdom_response()["sales_document"], number)
        [call] = self.sap.calls("ZWisdomSalesorderCreate")
        self.assertEqual(
            (call["PurchNoC"], call["PartnRole"], call["PartnNumb"], call["DocType"]),
            (order.contract_no, "AG", "0000100234", "ZOR"),
        )
        self.assertEqual(
            call["items"],
            [
                {
                    "ItmNumber": "000010",
                    "Material": "MAT-3P-METER",
                    "ShortText": "Three-phase meter",
                    "TargetQty": "10.000",
                }
            ],
        )
        self.assertEqual(call["CondValue"], "600.00")
        self.assertTrue(any(number in body for body in order.message_ids.mapped("body")), "noted in the chatter")
        self.assertNotIn(SAP_PASSWORD, message.request_payload + message.response_payload)
        self.assertIn("ZWisdomSalesorderCreate", message.request_payload)
        # the contract is found by its SAP number
        self.assertEqual(self.env["sale.order"].with_user(self.rep_a1).search([("sap_order_no", "=", number)]), order)

    def test_business_error_is_shown_on_the_contract_and_not_retried(self):
        for mode, kind in (("error", "E"), ("abort", "A")):
            self.sap.next_create(mode)
            with trap_jobs() as trap:
                order, message = self.confirm()
                self.assertFalse(self.perform_jobs_round(trap), "a BAPIRET2 error is not retried")
            self.assertEqual((message.state, message.attempts), ("dead", 1))
            self.assertIn(f"{kind} VP 112: Please enter sold-to party", message.last_error)
            self.assertIn(f'"Type": "{kind}"', message.response_payload)
            self.assertEqual(order.sap_state, "error")
            self.assertFalse(order.sap_order_no)
            self.assertIn("Please enter sold-to party", order.with_user(self.rep_a1).sap_error)
            self.assertIn(order, self.env["sale.order"].with_user(self.rep_a1).search([("sap_state", "=", "error")]))
        self.assertFalse(self.sap.created)

    def test_soap_fault_is_retried_with_backoff_then_created(self):
        self.sap.next_create("fault", "fault")
        with trap_jobs() as trap:
            order, message = self.confirm()
            [job] = self.perform_jobs_round(trap)
            self.assertEqual((message.state, message.http_status, order.sap_state), ("failed", 500, "retrying"))
            self.assertIn("CX_SY_CONVERSION_NO_NUMBER", message.last_error)
            self.assertEqual(order.with_user(self.rep_a1).sap_state, "retrying")
            [job] = self.perform_jobs_round(trap)
            self.assertEqual(job.retry, 2)
            self.run_jobs(trap)
        self.assertEqual((message.state, message.attempts, message.failed_attempts), ("done", 3, 2))
        self.assertEqual(len(self.sap.created), 1)
        self.assertEqual(order.sap_order_no, self.sap.created[0][1])
        # before each retry, SAP was asked whether the order exists
        self.assertEqual(len(self.sap.calls("ZWisdomSalesorderFind")), 2)

    def test_lost_reply_creates_exactly_one_sap_order(self):
        self.sap.next_create("lost")
        with trap_jobs() as trap:
            order, message = self.confirm()
            [__] = self.perform_jobs_round(trap)
            self.assertEqual(message.state, "failed")
            self.assertEqual(len(self.sap.created), 1, "SAP created the order, the reply was lost")
            self.run_jobs(trap)
        self.assertEqual(len(self.sap.created), 1, "the retry found the order instead of creating another")
        self.assertEqual(order.sap_order_no, self.sap.created[0][1])
        self.assertTrue(message.wisdom_response()["found_by_reference"])
        self.assertEqual([name for name, __ in self.sap.received], ["ZWisdomSalesorderCreate", "ZWisdomSalesorderFind"])

    def test_timeout_after_sap_committed_creates_exactly_one_order(self):
        self.sap.next_create("timeout")
        with trap_jobs() as trap:
            order, message = self.confirm()
            self.perform_jobs_round(trap)
            self.assertEqual(message.state, "failed")
            self.assertIn("timeout", message.last_error.lower())
            self.run_jobs(trap)
        self.assertEqual(len(self.sap.created), 1)
        self.assertEqual((order.sap_order_no, order.sap_state), (self.sap.created[0][1], "done"))

    def test_unauthorized_html_is_dead_at_once(self):
        self.sap.next_create("unauthorized")
        with trap_jobs() as trap:
            order, message = self.confirm()
            self.assertFalse(self.perform_jobs_round(trap))
        self.assertEqual((message.state, message.http_status, order.sap_state), ("dead", 401, "error"))
        self.assertIn("user or password", message.last_error)
        self.assertNotIn(LOGON_PAGE, message.last_error)
        self.assertFalse(self.sap.created)

    def test_sap_down_blocks_nothing_and_the_order_goes_later(self):
        self.sap.fail_next(2, status=503)
        with trap_jobs() as trap:
            order, message = self.confirm()
            self.assertEqual(order.state, "sale")
            self.perform_jobs_round(trap)
            self.assertEqual((message.state, order.sap_state), ("failed", "retrying"))
            self.run_jobs(trap)
            self.assertEqual(message.state, "done", message.last_error)
        self.assertEqual((order.sap_state, len(self.sap.created)), ("done", 1))

    def test_dead_message_resent_by_the_contract_admin(self):
        self.meter.default_code = False
        with trap_jobs() as trap:
            order, message = self.confirm()
            self.run_jobs(trap)
            self.assertEqual(order.sap_state, "error")
            self.assertIn("have no material code: Three-phase meter", order.sap_error)
            self.assertFalse(self.sap.received, "refused before calling SAP")
            with self.assertRaises(AccessError):
                order.with_user(self.rep_a1).action_wisdom_sap_send()
            self.meter.default_code = "MAT-3P-METER"
            self.assertTrue(order.with_user(self.contract_admin).action_wisdom_sap_send())
            self.assertEqual((order.sap_state, message.state), ("queued", "pending"))
            self.run_jobs(trap)
        self.assertEqual((order.sap_state, len(self.sap.created)), ("done", 1))
        with self.assertRaisesRegex(UserError, "not a confirmed contract waiting for SAP"):
            order.with_user(self.contract_admin).action_wisdom_sap_send()

    def test_idempotent_per_contract(self):
        with trap_jobs() as trap:
            order, message = self.confirm()
            self.run_jobs(trap)
            again = order.sudo()._wisdom_sap_queue_orders(retry=True)
            self.assertFalse(again, "a contract with its SAP number is not sent again")
            same = self.Message.sudo().wisdom_enqueue(
                "sap", "sales_order_create", {"order_id": order.id}, idempotency_key=f"sale.order:{order.contract_no}"
            )
            self.assertEqual(same, message)
            trap.assert_jobs_count(0)
        self.assertEqual(len(self.sap.created), 1)

    def test_no_active_endpoint_confirms_without_sending(self):
        self.sap_endpoint.active = False
        with trap_jobs() as trap:
            order, message = self.confirm()
            trap.assert_jobs_count(0)
        self.assertEqual((order.state, order.sap_state, message), ("sale", "not_sent", self.Message))
        with self.assertRaisesRegex(UserError, "No active SAP endpoint"):
            order.with_user(self.contract_admin).action_wisdom_sap_send()

    def test_field_map_and_status_map_are_configuration(self):
        function = self.env.ref("wisdom_sap_bridge.sap_function_sales_order_create")
        function.write(
            {"constants": '{"header": {"DocType": "ZCRM", "SalesOrg": "2000"}}', "status_map": '{"W": "error"}'}
        )
        self.sap.next_create("success")
        with trap_jobs() as trap:
            order, message = self.confirm()
            self.run_jobs(trap)
        [call] = self.sap.calls("ZWisdomSalesorderCreate")
        self.assertEqual((call["DocType"], call["SalesOrg"]), ("ZCRM", "2000"))
        self.assertEqual(order.sap_state, "done", "an S line is still a success")
        with self.assertRaisesRegex(ValidationError, "not valid JSON"):
            function.field_map = "{reference: PurchNoC"
        with self.assertRaisesRegex(ValidationError, "unknown outcome"):
            function.status_map = '{"E": "fatal"}'

    def test_test_connection_checks_the_credentials(self):
        result = self.sap_endpoint.with_user(self.integration_admin).action_test_connection()
        self.assertEqual(result["params"]["type"], "success")
        self.sap_endpoint.password = "wrong"
        result = self.sap_endpoint.with_user(self.integration_admin).action_test_connection()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("user or password", result["params"]["message"])
