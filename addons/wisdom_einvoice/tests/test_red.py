from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import SHIPPED, EinvoiceCase


@tagged("post_install", "-at_install")
class TestRedInvoices(EinvoiceCase):
    def setUp(self):
        super().setUp()
        self.order = self._vat_contract()
        self._ship(self.order, 6, SHIPPED)
        self.blue = self._issue_until_done(self._request(self.order))
        self.assertEqual(self.blue.state, "issued")

    def _red(self, reason, quantities=None, buyer_confirmed=False):
        red = self.Request.browse(self.blue.with_user(self.finance).action_create_red(reason, quantities))
        red.with_user(self.finance).write({"buyer_confirmed": buyer_confirmed})
        return red

    def test_full_red_before_the_buyer_confirmed_is_issued_at_once(self):
        red = self._red("2")
        self.assertTrue(red.red_full)
        self.assertEqual(red.line_ids.quantity, 6.0)
        self.assertEqual(self.order.order_line._wisdom_invoiceable_qty(), 0.0, "a red request proposes nothing")
        self._issue_until_done(red)
        self.assertEqual(red.state, "issued")
        self.assertFalse(red.red_form_state, "no confirmation form needed")
        sent = self.fake.orders[red.provider_order_no]["order"]
        self.assertEqual((sent["invoiceType"], sent["invoiceNumber"]), ("2", self.blue.einvoice_number))
        self.assertEqual(sent["invoiceDetail"][0]["taxIncludedAmount"], "-678.00")
        refund = red.move_id
        self.assertRecordValues(
            refund,
            [
                {
                    "move_type": "out_refund",
                    "state": "posted",
                    "amount_total": 678.0,
                    "reversed_entry_id": self.blue.move_id.id,
                    "einvoice_number": red.einvoice_number,
                }
            ],
        )
        self.assertEqual(self.order.order_line.qty_invoiced, 0.0)
        self.assertEqual(self.order.invoiced_amount, 0.0)
        with self.assertRaisesRegex(UserError, "cannot be reversed"):
            red.with_user(self.finance).action_create_red("2")

    def test_partial_red_for_a_return_goes_through_the_confirmation_form(self):
        line = self.blue.line_ids
        with self.assertRaisesRegex(UserError, "partial red"):
            self.blue.with_user(self.finance).action_create_red("2", {line.id: 2})
        red = self._red("1", {line.id: 2})
        self.assertFalse(red.red_full)
        with trap_jobs() as trap:
            red.with_user(self.finance).action_submit()
            red.with_user(self.finance).action_issue()
            self.run_jobs(trap)
            self.assertEqual((red.state, red.red_form_state), ("issuing", "pending"))
            form = self.fake.red_forms[red.provider_order_no]
            self.assertEqual((form["content"]["redReason"], form["content"]["detail"][0]["num"]), ("1", "-2"))
            self._poll(trap)
            self.assertEqual(red.red_form_state, "pending", "the buyer has not confirmed yet")
            self.assertFalse(self.fake.orders.get(red.provider_order_no), "no red invoice before the form is confirmed")
            form["status"] = "04"
            self._poll(trap, rounds=3)
        self.assertEqual((red.state, red.red_form_state), ("issued", "confirmed"))
        self.assertEqual(red.move_id.amount_total, 226.0)
        self.assertEqual(self.order.order_line.qty_invoiced, 4.0)
        remaining = self.blue._wisdom_red_remaining()
        self.assertEqual(remaining[line.id], 4.0)

    def test_full_red_after_the_buyer_confirmed_needs_the_form(self):
        red = self._red("3", buyer_confirmed=True)
        with trap_jobs() as trap:
            red.with_user(self.finance).action_submit()
            red.with_user(self.finance).action_issue()
            self.run_jobs(trap)
        self.assertEqual(red.red_form_state, "pending")
        self.assertFalse(self.fake.red_forms[red.provider_order_no]["content"].get("detail"))

    def test_unconfirmed_form_voids_after_72_hours(self):
        red = self._red("4", {self.blue.line_ids.id: 1})
        with trap_jobs() as trap:
            red.with_user(self.finance).action_submit()
            red.with_user(self.finance).action_issue()
            self.run_jobs(trap)
            raised = red.red_form_date
            with freeze_time(raised + timedelta(hours=71)):
                self._poll(trap)
                self.assertEqual(red.state, "issuing")
            with freeze_time(datetime(raised.year, raised.month, raised.day) + timedelta(hours=97)):
                self.Request._cron_poll_issuing()
        self.assertEqual((red.state, red.red_form_state), ("failed", "void"))
        self.assertIn("72 hours", red.issue_error)
        self.assertEqual(self.blue._wisdom_red_remaining()[self.blue.line_ids.id], 6.0, "a failed red reverses nothing")

    def test_wizard_creates_a_partial_red_request(self):
        Wizard = self.env["wisdom.invoice.red.wizard"].with_user(self.finance).with_context(active_id=self.blue.id)
        with Form(Wizard) as form:
            form.reason = "4"
            form.partial = True
            with form.line_ids.edit(0) as line:
                self.assertEqual(line.remaining_qty, 6.0)
                line.quantity = 1.5
        action = form.record.action_confirm()
        red = self.Request.browse(action["res_id"])
        self.assertRecordValues(
            red,
            [{"is_red": True, "red_reason": "4", "red_full": False, "blue_request_id": self.blue.id, "state": "draft"}],
        )
        self.assertEqual(red.line_ids.quantity, 1.5)
        self.assertEqual(self.blue.red_request_ids, red)
        with self.assertRaises(AccessError):
            self.env["wisdom.invoice.red.wizard"].with_user(self.rep_a1).create({"request_id": self.blue.id})
