"""Customers created and updated in SAP through the customer wrapper, before their first order."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import SapBridgeCase


@tagged("post_install", "-at_install")
class TestSapCustomer(SapBridgeCase):
    def test_new_customer_is_created_in_sap_before_its_first_order(self):
        customer = self.customer_a2
        customer.write({"street": "岳麓区桐梓坡西路468号", "city": "长沙", "credit_code": "91430100MA4L0K7C0W"})
        self.assertFalse(customer.sap_customer_no)
        with trap_jobs() as trap:
            order = self._contract(self.rep_a2)
            order.with_user(self.rep_a2).action_confirm()
            self.run_jobs(trap)
        [(number, sent)] = self.sap.customers.items()
        self.assertEqual(customer.sap_customer_no, number)
        self.assertEqual(
            (sent["Name"], sent["City"], sent["TaxNumber"], sent["SearchTerm"], sent["AccountGroup"]),
            (customer.name, "长沙", "91430100MA4L0K7C0W", customer.customer_code, "KUNA"),
        )
        self.assertFalse(sent.get("Customer"), "a creation: no customer number sent")
        [call] = self.sap.calls("ZWisdomSalesorderCreate")
        self.assertEqual(call["PartnNumb"], number)
        self.assertEqual(order.sap_state, "done")

    def test_change_of_a_known_customer_is_sent_once(self):
        customer = self.customer_a1
        with trap_jobs() as trap:
            customer.with_user(self.rep_a1).write({"street": "芙蓉中路二段126号"})
            customer.with_user(self.rep_a1).write({"street": "芙蓉中路二段126号"})
            customer.with_user(self.rep_a1).write({"comment": "not an SAP field"})
            trap.assert_jobs_count(1)
            self.run_jobs(trap)
        [call] = self.sap.calls("ZWisdomCustomerMaintain")
        self.assertEqual((call["Customer"], call["Street"]), ("0000100234", "芙蓉中路二段126号"))
        self.assertEqual(customer.sap_customer_no, "0000100234")

    def test_refused_customer_refuses_its_order_with_the_reason(self):
        self.sap.customer_modes.append("error")
        with trap_jobs() as trap:
            order = self._contract(self.rep_a2)
            order.with_user(self.rep_a2).action_confirm()
            self.run_jobs(trap)
        self.assertEqual(order.sap_state, "error")
        self.assertIn("Tax number 1 is not valid", order.sap_error)
        self.assertFalse(self.customer_a2.sap_customer_no)
        self.assertFalse(self.sap.created)

    def test_customer_dead_while_sap_was_down_keeps_its_order_waiting(self):
        """Seen in the e-flow soak benchmark: the customer's message died of SAP being down and its order was
        refused for good, never sent again. The order waits; the resume cron sends the customer, then it."""
        self.sap_endpoint.max_attempts = 2
        self.sap.fail_next(2, status=503)
        with trap_jobs() as trap:
            order = self._contract(self.rep_a2)
            order.with_user(self.rep_a2).action_confirm()
            self.run_jobs(trap)
        customer_message = self.Message.search(
            [("operation", "=", "customer_maintain"), ("res_id", "=", self.customer_a2.id)]
        )
        order_message = order.sudo().sap_message_id
        self.assertEqual((customer_message.state, customer_message.retries_exhausted), ("dead", True))
        self.assertEqual((order_message.state, order_message.retries_exhausted), ("dead", True))
        self.assertIn("Waiting for SAP to create the customer", order_message.last_error)
        for _round in range(2):  # a probe (the customer), then the rest (its order)
            with trap_jobs() as trap:
                self.Message._cron_wisdom_resume()
                self.run_jobs(trap)
        self.assertEqual((order.sap_state, len(self.sap.created)), ("done", 1))
        self.assertEqual(self.sap.created[0][1], order.sap_order_no)
        self.assertTrue(self.customer_a2.sap_customer_no)

    def test_without_customer_function_the_customer_code_is_sent(self):
        self.env.ref("wisdom_sap_bridge.sap_function_customer_maintain").active = False
        with trap_jobs() as trap:
            order = self._contract(self.rep_a2)
            order.with_user(self.rep_a2).action_confirm()
            self.run_jobs(trap)
        self.assertFalse(self.sap.calls("ZWisdomCustomerMaintain"))
        [call] = self.sap.calls("ZWisdomSalesorderCreate")
        self.assertEqual(call["PartnNumb"], self.customer_a2.customer_code)
        self.assertEqual(order.sap_state, "done")

    def test_send_button_for_the_contract_admin(self):
        with trap_jobs() as trap:
            with self.assertRaises(AccessError):
                self.customer_a2.with_user(self.rep_a2).action_wisdom_sap_send_customer()
            self.assertTrue(self.customer_a2.with_user(self.contract_admin).action_wisdom_sap_send_customer())
            self.run_jobs(trap)
        self.assertTrue(self.customer_a2.sap_customer_no)
