"""Polling SAP (``ZWisdomChangesGet``) for the receipts, goods issues and production orders it did not push:
each polled document is booked exactly like a pushed one (and only once when both happen), the watermark
moves only with a page read, and a failed poll is retried with the endpoint's back-off."""

from datetime import timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import SapBridgeCase
from .test_sap_production import TOKEN, SapPushMixin


@tagged("post_install", "-at_install")
class TestSapPoll(SapPushMixin, HttpCase, SapBridgeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["wisdom.shipment.condition"].search([]).action_archive()  # tested in wisdom_fulfillment
        cls.sap_endpoint.write(
            {"inbound_token": TOKEN, "poll_interval": 15, "poll_page_size": 2, "poll_watermark": "20260501000000"}
        )
        cls.Endpoint = cls.env["wisdom.integration.endpoint"]
        cls.Production = cls.env["wisdom.sap.production.order"]

    def poll(self, rounds=None):
        """Queue the poll as the cron does and perform its job (``rounds`` times, else until done)."""
        self.sap_endpoint.poll_last_at = False
        with trap_jobs() as trap:
            self.Endpoint._cron_wisdom_poll()
            message = self.sap_endpoint.poll_message_id
            if rounds is None:
                self.run_jobs(trap)
            else:
                for __ in range(rounds):
                    self.env.flush_all()
                    self.perform_jobs_round(trap)
                    self.env.invalidate_all()
        return message, trap

    def sap_production(self, changed_at, number, **values):
        row = {
            "OrderNumber": number,
            "SalesOrder": "0000012345",
            "SalesOrderItem": "000010",
            "SystemStatus": "REL",
            "TargetQty": "10.000",
            "ConfirmedQty": "0.000",
            "BasicStart": "2026-05-04",
            "BasicFinish": "2026-05-20",
            "Currency": self.env.company.currency_id.name,
            "PlannedCost": "3500.00",
            "ActualCost": "0.00",
        }
        self.sap.add_production_order(changed_at, **{**row, **values})

    def test_poll_books_receipts_deliveries_and_production_orders_page_by_page(self):
        order = self.signed("0000012345", payment_term_line_ids=[Command.create({"kind": "delivery", "percent": 100})])
        self.sap.add_receipt(
            "20260510080000",
            DocNo="1400000077",
            CompCode="1000",
            FiscYear="2026",
            Customer="0000100234",
            Amount="500.00",
            Currency=order.currency_id.name,
            ValueDate="2026-05-10",
            RefDoc="0000012345",
        )
        self.sap.add_delivery(
            "20260510090000",
            Delivery="0080000077",
            SalesOrder="0000012345",
            GoodsIssueDate="2026-05-10",
            items=[{"RefItem": "000010", "DlvQty": "4.000"}],
        )
        self.sap_production("20260510100000", "1000900")
        message, __ = self.poll()
        self.assertEqual(message.state, "done", message.last_error)
        result = message.wisdom_response()
        self.assertEqual((result["pages"], result["received"], result["not_booked"]), (2, 3, []))
        self.assertEqual(self.sap_endpoint.poll_watermark, "20260510100000")
        self.assertEqual(
            [call["ChangedSince"] for call in self.sap.calls("ZWisdomChangesGet")], ["20260501000000", "20260510090000"]
        )
        payment = self.env["account.payment"].search([("sap_document_no", "=", "1400000077")])
        self.assertEqual((payment.amount, payment.sap_order_id), (500, order))
        request = self.env["wisdom.shipment.request"].search([("order_id", "=", order.id)])
        self.assertEqual((request.state, request.line_ids.shipped_qty), ("shipped", 4))
        self.assertEqual(order.order_line.sap_production_order_nos, "1000900")
        # the interval has not passed: no new poll; then nothing new: the watermark stays
        with trap_jobs() as trap:
            self.Endpoint._cron_wisdom_poll()
            trap.assert_jobs_count(0)
        again, __ = self.poll()
        self.assertNotEqual(again, message)
        self.assertEqual((again.state, again.wisdom_response()["received"]), ("done", 0))
        self.assertEqual(self.sap_endpoint.poll_watermark, "20260510100000")

    def test_document_pushed_and_polled_is_booked_once(self):
        order = self.signed("0000012345")
        receipt = {
            "document_no": "1400000088",
            "company_code": "1000",
            "fiscal_year": "2026",
            "customer_no": "100234",
            "amount": 300,
            "currency": order.currency_id.name,
            "value_date": "20260510",
        }
        self.assertEqual(self.push("receipt", receipt)[0], 200)
        self.sap.add_receipt(
            "20260510080000",
            DocNo="1400000088",
            CompCode="1000",
            FiscYear="2026",
            Customer="0000100234",
            Amount="300.00",
            Currency=order.currency_id.name,
            ValueDate="2026-05-10",
        )
        self.sap_production("20260510100000", "1000901")
        self.sap_production("20260510090000", "1000902", ConfirmedQty="3.000")
        message, __ = self.poll()
        result = message.wisdom_response()
        self.assertEqual((result["received"], result["already_received"]), (2, 1))
        self.assertEqual(self.env["account.payment"].search_count([("sap_document_no", "=", "1400000088")]), 1)
        # the production order polled first, SAP's push of the same change arrives afterwards
        status, answer = self.push("production", self.production("1000901", 20260510100000))
        self.assertEqual((status, answer["already_received"]), (200, True))
        self.assertEqual(self.Production.search_count([("name", "=", "1000901")]), 1)
        # an older change of 1000902 pushed late is ignored
        answer = self.push("production", self.production("1000902", 20260510080000, actual_qty=1))[1]
        self.assertTrue(answer["result"]["ignored_as_older"])
        self.assertEqual(self.Production.search([("name", "=", "1000902")]).actual_qty, 3)

    def test_failed_poll_keeps_the_watermark_and_is_retried(self):
        self.signed("0000012345")
        self.sap_endpoint.timeout = 10  # Odoo's tests raise shorter timeouts to 10 s
        self.sap.poll_stall = 10.5
        for index, mode in enumerate(("fault", "unavailable", "timeout")):
            with self.subTest(mode=mode):
                watermark = self.sap_endpoint.poll_watermark
                number = f"100100{index}"
                self.sap_production(f"2026051{index}100000", number)
                self.sap.poll_modes.append(mode)
                message, trap = self.poll(rounds=1)
                self.assertEqual(message.state, "failed")
                self.assertTrue(message.next_attempt_at)
                self.assertEqual(self.sap_endpoint.poll_watermark, watermark)
                self.assertFalse(self.Production.search([("name", "=", number)]))
                # the cron does not queue a second poll while this one waits for its retry
                self.sap_endpoint.poll_last_at = fields.Datetime.now() - timedelta(hours=1)
                self.Endpoint._cron_wisdom_poll()
                self.assertEqual(self.sap_endpoint.poll_message_id, message)
                self.run_jobs(trap)
                self.assertEqual(message.state, "done")
                self.assertEqual(self.sap_endpoint.poll_watermark, f"2026051{index}100000")
                self.assertTrue(self.Production.search([("name", "=", number)]))

    def test_poll_dead_after_its_attempts_and_refusals(self):
        self.signed("0000012345")
        self.sap_production("20260510100000", "1001100")
        self.sap.poll_modes.extend(["unavailable"] * 4)  # the endpoint allows 4 attempts
        message, __ = self.poll()
        self.assertEqual((message.state, message.retries_exhausted), ("dead", True))
        self.assertEqual(self.sap_endpoint.poll_watermark, "20260501000000")
        # SAP refuses (BAPIRET2 E): dead at once, the watermark stays
        self.sap.poll_modes.append("error")
        refused, __ = self.poll()
        self.assertEqual(refused.state, "dead")
        self.assertIn("No authorization for company code 1000", refused.last_error)
        self.assertEqual(self.sap_endpoint.poll_watermark, "20260501000000")
        # a row the CRM cannot read is kept dead with its reason; the others are booked, the watermark moves
        self.sap_production("20260510110000", "1001101", SystemStatus="ZZZZ")
        done, __ = self.poll()
        self.assertEqual(done.state, "done")
        [unreadable] = done.wisdom_response()["not_booked"]
        bad = self.Message.browse(unreadable["message_id"])
        self.assertEqual((bad.state, bad.operation, bad.direction), ("dead", "production", "inbound"))
        self.assertIn("ZZZZ", bad.last_error)
        self.assertTrue(self.Production.search([("name", "=", "1001100")]))
        self.assertEqual(self.sap_endpoint.poll_watermark, "20260510110000")

    def test_unknown_sales_order_polled_waits_for_the_contract(self):
        self.sap_production("20260510100000", "1001200", SalesOrder="0000077777")
        message, __ = self.poll()
        [waiting] = message.wisdom_response()["not_booked"]
        self.assertIn("0000077777", waiting["error"])
        order = self.signed("0000077777")
        with trap_jobs() as trap:
            self.Message.browse(waiting["message_id"]).with_user(self.integration_admin).action_retry()
            self.run_jobs(trap)
        self.assertEqual(order.order_line.sap_production_order_nos, "1001200")
