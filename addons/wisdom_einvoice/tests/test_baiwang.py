from datetime import date

from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import SELLER_ID, SHIPPED, EinvoiceCase
from .fake_baiwang import FakeBaiwang

TOKEN_METHOD = "baiwang.oauth.token"
ISSUE_METHOD = "baiwang.output.invoice.issue"


@tagged("post_install", "-at_install")
class TestBaiwang(EinvoiceCase):
    """The same flows as with Nuonuo, with the endpoint switched to Baiwang on a fake Baiwang."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeBaiwang(seller_tax_id=SELLER_ID).__enter__()
        cls.addClassCleanup(cls.fake.__exit__, None, None, None)
        cls.endpoint.write(
            {
                "einvoice_provider": "baiwang",
                "base_url": cls.fake.url,
                "api_key": "BW-KEY",
                "api_secret": "BW-SECRET",
                "username": "bw-user",
                "password": "bw-pass",
                "einvoice_password_salt": "bw-salt",
                "einvoice_access_token": False,
                "einvoice_token_expires": 0,
            }
        )

    def _shipped_request(self, qty=10, shipped=6):
        order = self._vat_contract(qty=qty)
        self._ship(order, shipped, SHIPPED)
        return self._request(order)

    def _messages(self, request, operation):
        return self.Message.search(
            [("res_model", "=", request._name), ("res_id", "=", request.id), ("operation", "=", operation)]
        )

    def test_full_flow_to_posted_invoice(self):
        request = self._shipped_request()
        with trap_jobs() as trap:
            request.action_submit()
            request.with_user(self.finance).action_issue()
            self.run_jobs(trap)
            self.assertEqual((request.state, request.provider_status), ("issuing", "0"))
            self._poll(trap, rounds=2)
        self.assertEqual(request.state, "issued")
        self.assertEqual(request.einvoice_number, self.fake.orders[request.provider_order_no]["invoice_number"])
        self.assertEqual(request.issue_date, date(2026, 3, 3))
        self.assertRecordValues(
            request.move_id,
            [{"state": "posted", "move_type": "out_invoice", "amount_total": 678.0, "amount_untaxed": 600.0}],
        )
        files = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", request.move_id.id)]
        )
        self.assertEqual(len(files), 3)
        sent = self.fake.orders[request.provider_order_no]["data"]
        self.assertEqual(
            (sent["invoiceTypeCode"], sent["serialNo"], sent["buyerTaxNo"]),
            ("01", request.provider_order_no, request.order_id.partner_id.credit_code),
        )
        self.assertEqual(
            {k: sent["invoiceDetailsList"][0][k] for k in ("goodsQuantity", "goodsTaxRate", "goodsTotalPriceTax")},
            {"goodsQuantity": "6", "goodsTaxRate": "0.13", "goodsTotalPriceTax": "678.00"},
        )
        self.assertEqual(len(self.fake.calls(TOKEN_METHOD)), 1, "one token for every call")
        payloads = "".join(self.Message.search([("res_id", "=", request.id)]).mapped("response_payload"))
        self.assertNotIn("BW-TOKEN", payloads)

    def test_lost_reply_then_duplicate_serial_gives_exactly_one_invoice(self):
        request = self._shipped_request()
        self.fake.lose_reply_next()
        with trap_jobs() as trap:
            request.action_submit()
            request.with_user(self.finance).action_issue()
            self.perform_jobs_round(trap)
            issue = self._messages(request, "issue")
            self.assertEqual((issue.state, request.state), ("failed", "issuing"), "a lost reply is not a failure")
            self.run_jobs(trap)
            self.assertEqual(issue.state, "done")
            self.assertTrue(issue.wisdom_response()["duplicate"], "answered by a query, not a resubmission")
            self._poll(trap, rounds=2)
        self.assertEqual(request.state, "issued")
        self.assertEqual(len(self.fake.orders), 1)
        self.assertEqual(issue.attempts, 2, "sent twice, the second answered as a duplicate serial")
        self.assertEqual(self.fake.calls(ISSUE_METHOD)[0].answered, 200)
        self.assertEqual(self.env["account.move"].search_count([("einvoice_request_id", "=", request.id)]), 1)

    def test_invalid_token_is_renewed_once(self):
        request = self._shipped_request()
        self.fake.tokens["BW-TOKEN-OLD"] = False
        self.endpoint.sudo().write({"einvoice_access_token": "BW-TOKEN-OLD", "einvoice_token_expires": 4e9})
        self._issue_until_done(request)
        self.assertEqual(request.state, "issued")
        self.assertEqual(self.fake.tokens_issued, 1)
        self.assertNotEqual(self.endpoint.sudo().einvoice_access_token, "BW-TOKEN-OLD")

    def test_failed_outcome_fails_the_request(self):
        request = self._shipped_request()
        self.fake.outcome_next("2")
        with trap_jobs() as trap:
            request.action_submit()
            request.with_user(self.finance).action_issue()
            self.run_jobs(trap)
            self._poll(trap, rounds=2)
        self.assertEqual(request.state, "failed")
        self.assertIn("购方税号", request.issue_error)
        self.assertFalse(request.move_id)

    def test_rejection_at_issue_fails_the_request_at_once(self):
        request = self._shipped_request()
        self.fake.tokens["BW-TOKEN-PRE"] = True
        self.endpoint.sudo().write({"einvoice_access_token": "BW-TOKEN-PRE", "einvoice_token_expires": 4e9})
        self.fake.business_error_next(self.fake.error("200001", "业务错误", "BUYER_TAX_NO_ERROR", "购方税号有误"))
        with trap_jobs() as trap:
            request.action_submit()
            request.with_user(self.finance).action_issue()
            self.run_jobs(trap)
        issue = self._messages(request, "issue")
        self.assertEqual((issue.state, issue.attempts), ("dead", 1), "a rejection is not retried")
        self.assertEqual(request.state, "failed")
        self.assertIn("BUYER_TAX_NO_ERROR", request.issue_error)

    def test_switching_provider_forgets_the_token(self):
        self.endpoint.sudo().write({"einvoice_access_token": "BW-TOKEN-X", "einvoice_token_expires": 4e9})
        self.endpoint.write({"einvoice_provider": "nuonuo"})
        self.assertFalse(self.endpoint.sudo().einvoice_access_token, "Baiwang's token is not sent to Nuonuo")
        self.endpoint.sudo().write({"einvoice_access_token": "NN-TOKEN", "einvoice_token_expires": 4e9})
        self.endpoint.write({"einvoice_provider": "nuonuo", "timeout": 12})
        self.assertEqual(self.endpoint.sudo().einvoice_access_token, "NN-TOKEN")

    def test_missing_user_name_is_a_configuration_error(self):
        request = self._shipped_request()
        self.endpoint.username = False
        with trap_jobs() as trap:
            request.action_submit()
            request.with_user(self.finance).action_issue()
            self.run_jobs(trap)
        self.assertEqual(request.state, "failed")
        self.assertIn("user name and password", request.issue_error)
        self.assertFalse(self.fake.requests, "nothing sent")

    def test_partial_red_through_the_confirmation_form(self):
        blue = self._issue_until_done(self._shipped_request())
        self.assertEqual(blue.state, "issued")
        line = blue.line_ids
        red = self.Request.browse(blue.with_user(self.finance).action_create_red("1", {line.id: 2}))
        with trap_jobs() as trap:
            red.with_user(self.finance).action_submit()
            red.with_user(self.finance).action_issue()
            self.run_jobs(trap)
            self.assertEqual((red.state, red.red_form_state), ("issuing", "pending"))
            form = self.fake.red_forms[red.provider_order_no]
            self.assertEqual(
                (form["data"]["originalInvoiceNo"], form["data"]["redDetailList"][0]["goodsQuantity"]),
                (blue.einvoice_number, "-2"),
            )
            self._poll(trap)
            self.assertFalse(self.fake.orders.get(red.provider_order_no), "no red invoice before the buyer confirms")
            form["state"] = "04"
            self._poll(trap, rounds=3)
        self.assertEqual((red.state, red.red_form_state), ("issued", "confirmed"))
        sent = self.fake.orders[red.provider_order_no]["data"]
        self.assertEqual(
            (sent["invoiceType"], sent["originalInvoiceNo"], sent["redConfirmUuid"], sent["redIssueReason"]),
            ("1", blue.einvoice_number, red.red_form_uuid, "1"),
        )
        self.assertRecordValues(
            red.move_id,
            [
                {
                    "move_type": "out_refund",
                    "state": "posted",
                    "amount_total": 226.0,
                    "reversed_entry_id": blue.move_id.id,
                }
            ],
        )
