import json
from datetime import date

import odoo.http
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import SHIPPED, EinvoiceCase
from .fake_nuonuo import SERVICES, TOKEN


@tagged("post_install", "-at_install")
class TestIssuing(EinvoiceCase):
    def _shipped_request(self, qty=10, shipped=6, terms=None):
        order = self._vat_contract(qty=qty, terms=terms)
        self._ship(order, shipped, SHIPPED)
        return self._request(order)

    def _messages(self, request, operation=None):
        domain = [("res_model", "=", request._name), ("res_id", "=", request.id)]
        if operation:
            domain.append(("operation", "=", operation))
        return self.Message.search(domain, order="id")

    def test_full_flow_to_posted_invoice_and_reanchored_plan(self):
        request = self._shipped_request(terms=[("prepayment", 20, 0), ("invoice", 80, 15)])
        order = request.order_id
        self.assertFalse(self._lines(order, "invoice").due_date, "nothing invoiced yet")
        with trap_jobs() as trap:
            request.action_submit()
            request.with_user(self.finance).action_issue()
            self.assertEqual(request.state, "issuing")
            self.assertEqual(len(trap.enqueued_jobs), 1, "one job sends the order")
            self.run_jobs(trap)
            self.assertEqual((request.state, request.provider_status), ("issuing", "20"))
            self._poll(trap)
            self.assertEqual((request.state, request.provider_status), ("issuing", "21"))
            self._poll(trap)
        self.assertEqual(request.state, "issued")
        self.assertEqual(len(request.einvoice_number), 20)
        self.assertEqual(request.issue_date, date(2026, 3, 3))  # 1772500000000 ms = 2026-03-03 09:06 China time
        move = request.move_id
        self.assertRecordValues(
            move,
            [
                {
                    "state": "posted",
                    "move_type": "out_invoice",
                    "einvoice_number": request.einvoice_number,
                    "ref": request.einvoice_number,
                    "invoice_date": date(2026, 3, 3),
                    "amount_total": 678.0,
                    "amount_untaxed": 600.0,
                    "einvoice_request_id": request.id,
                }
            ],
        )
        files = self.env["ir.attachment"].search([("res_model", "=", "account.move"), ("res_id", "=", move.id)])
        self.assertEqual(
            sorted(files.mapped("name")), sorted(f"{request.einvoice_number}.{ext}" for ext in ("pdf", "ofd", "xml"))
        )
        self.assertEqual(order.order_line.qty_invoiced, 6.0)
        self.assertEqual(order.invoiced_amount, 678.0)
        self.assertEqual(self._lines(order, "invoice").due_date, date(2026, 3, 18), "plan re-anchored on the invoice")
        # the order sent: exact figures, remark with the contract, 数电专票
        sent = self.fake.orders[request.provider_order_no]["order"]
        self.assertEqual(
            (sent["invoiceLine"], sent["buyerTaxNum"], sent["salerTaxNum"]),
            ("bs", order.partner_id.credit_code, self.env.company.vat),
        )
        self.assertEqual(
            {
                k: sent["invoiceDetail"][0][k]
                for k in ("num", "taxRate", "tax", "taxExcludedAmount", "taxIncludedAmount", "withTaxFlag")
            },
            {
                "num": "6",
                "taxRate": "0.13",
                "tax": "78.00",
                "taxExcludedAmount": "600.00",
                "taxIncludedAmount": "678.00",
                "withTaxFlag": "1",
            },
        )
        # one token for everything, none of it in the recorded messages
        self.assertEqual(self.fake.count(path=TOKEN), 1)
        messages = self._messages(request)
        self.assertEqual(messages.mapped("operation"), ["issue", "query", "query", "query"])
        self.assertEqual(set(messages.mapped("state")), {"done"})
        self.assertNotIn("NN-SECRET", "".join(messages.mapped("request_payload") + messages.mapped("response_payload")))

    def test_lost_reply_then_e9106_gives_exactly_one_invoice(self):
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
            self.assertTrue(issue.wisdom_response()["duplicate"], "E9106 answered by a query, not a resubmission")
            self._poll(trap, rounds=2)
        self.assertEqual(request.state, "issued")
        self.assertEqual(len(self.fake.orders), 1)
        self.assertEqual(self.env["account.move"].search_count([("einvoice_request_id", "=", request.id)]), 1)
        self.assertEqual(request.provider_serial_no, self.fake.orders[request.provider_order_no]["serial"])

    def test_provider_down_ten_minutes_then_every_request_issued_once(self):
        requests_ = self.Request
        for _index in range(3):
            requests_ |= self._shipped_request(shipped=10)
        self.endpoint._wisdom_einvoice_client("").access_token()  # the token was fetched before the outage
        policy = self.endpoint._wisdom_policy()
        failing = next(n for n in range(1, 9) if sum(policy.delay(i) for i in range(1, n + 1)) >= 600)
        self.fake.fail_next(failing * len(requests_), status=503)
        with trap_jobs() as trap:
            requests_.action_submit()
            requests_.with_user(self.finance).action_issue()
            for _attempt in range(failing):
                self.perform_jobs_round(trap)
            issues = self.Message.search(
                [("operation", "=", "issue"), ("res_id", "in", requests_.ids), ("res_model", "=", requests_._name)]
            )
            self.assertEqual(set(issues.mapped("state")), {"failed"})
            self.assertEqual(set(issues.mapped("attempts")), {failing})
            self.assertEqual(set(requests_.mapped("state")), {"issuing"})
            self.run_jobs(trap)
            self._poll(trap, rounds=2)
        self.assertEqual(set(issues.mapped("state")), {"done"})
        self.assertTrue(all(issues.mapped("first_failure_at")), "the outage is on record for the dashboard")
        self.assertEqual(set(requests_.mapped("state")), {"issued"})
        self.assertEqual(len(self.fake.orders), 3)
        self.assertEqual(len(requests_.move_id), 3)

    def test_failed_and_signature_failed(self):
        failed, unsigned = self._shipped_request(shipped=5), self._shipped_request(shipped=5)
        self.fake.outcome_next("22")
        self.fake.outcome_next("24")
        with trap_jobs() as trap:
            (failed | unsigned).action_submit()
            failed.with_user(self.finance).action_issue()
            unsigned.with_user(self.finance).action_issue()
            self.run_jobs(trap)
            self._poll(trap, rounds=2)
        self.assertEqual((failed.state, unsigned.state), ("failed", "failed"))
        self.assertIn("22", failed.issue_error)
        self.assertIn("24", unsigned.issue_error)
        self.assertFalse(failed.move_id)
        self.assertTrue(failed.activity_ids, "finance is asked to look")
        # back to draft gets a new order number: the provider keeps the failed one
        failed.action_draft()
        self.assertFalse(failed.provider_order_no)

    def test_amount_rejection_fails_the_request_at_once(self):
        request = self._shipped_request()
        self.fake.business_error_next({"code": "E9130", "describe": "税额误差超过 0.06"})
        with trap_jobs() as trap:
            request.action_submit()
            self.fake.tokens["TOKEN-PRE"] = True
            self.endpoint.sudo().write({"einvoice_access_token": "TOKEN-PRE", "einvoice_token_expires": 4e9})
            request.with_user(self.finance).action_issue()
            self.run_jobs(trap)
        issue = self._messages(request, "issue")
        self.assertEqual((issue.state, issue.attempts), ("dead", 1), "a rejection is not retried")
        self.assertEqual(request.state, "failed")
        self.assertIn("E9130", request.issue_error)

    def test_busy_answer_is_retried(self):
        request = self._shipped_request()
        self.fake.tokens["TOKEN-PRE"] = True
        self.endpoint.sudo().write({"einvoice_access_token": "TOKEN-PRE", "einvoice_token_expires": 4e9})
        self.fake.business_error_next({"code": "E9500", "describe": "系统繁忙"})
        with trap_jobs() as trap:
            request.action_submit()
            request.with_user(self.finance).action_issue()
            self.run_jobs(trap)
        issue = self._messages(request, "issue")
        self.assertEqual((issue.state, issue.attempts), ("done", 2))

    def test_expired_token_is_renewed_once(self):
        request = self._shipped_request()
        self.fake.tokens["TOKEN-OLD"] = False
        self.endpoint.sudo().write({"einvoice_access_token": "TOKEN-OLD", "einvoice_token_expires": 4e9})
        self._issue_until_done(request)
        self.assertEqual(request.state, "issued")
        self.assertEqual(self.fake.tokens_issued, 1)
        self.assertNotEqual(self.endpoint.sudo().einvoice_access_token, "TOKEN-OLD")

    def test_double_issue_sends_once(self):
        request = self._shipped_request()
        with trap_jobs() as trap:
            request.action_submit()
            request.with_user(self.finance).action_issue()
            with self.assertRaisesRegex(Exception, "Issuing: this step is not possible"):
                request.with_user(self.finance).action_issue()
            self.run_jobs(trap)
        self.assertEqual(self.fake.count(path=SERVICES), 2)  # one issue, one query

    def test_cron_stops_asking_after_max_polls(self):
        request = self._shipped_request()
        self.fake.steps = ("20",)
        with trap_jobs() as trap:
            request.action_submit()
            request.with_user(self.finance).action_issue()
            self.run_jobs(trap)
            request.sudo().poll_count = 59
            self._poll(trap)
            self.assertEqual(request.poll_count, 60)
            self.assertTrue(request.activity_ids)
            self.Request._cron_poll_issuing()
            self.assertFalse(trap.enqueued_jobs, "the cron gave up on it")
            request.with_user(self.finance).action_check_status()
            self.assertEqual(len(trap.enqueued_jobs), 1, "finance can ask again")

    def test_files_that_failed_are_fetched_by_the_cron(self):
        request = self._shipped_request()
        self.fake.files_down = True
        self._issue_until_done(request)
        self.assertEqual((request.state, request.files_missing), ("issued", True))
        self.assertTrue(request.move_id, "the invoice does not wait for its files")
        Attachment = self.env["ir.attachment"]
        domain = [("res_model", "=", "account.move"), ("res_id", "=", request.move_id.id)]
        self.assertFalse(Attachment.search_count(domain))
        self.fake.files_down = False
        self.Request._cron_poll_issuing()
        self.assertFalse(request.files_missing)
        self.assertEqual(Attachment.search_count(domain), 3)


@tagged("post_install", "-at_install")
class TestCallback(HttpCase, EinvoiceCase):
    def test_callback_only_queues_a_query(self):
        order = self._vat_contract()
        self._ship(order, 2, SHIPPED)
        request = self._request(order)
        with trap_jobs() as trap:
            request.action_submit()
            request.with_user(self.finance).action_issue()
            self.run_jobs(trap)
        queries = self.Message.search_count([("operation", "=", "query"), ("res_id", "=", request.id)])
        content = json.dumps(
            {
                "orderNo": request.provider_order_no,
                "c_status": "1",
                "allElectronicInvoiceNumber": "99999999999999999999",
            }
        )
        callback = self.fake.orders[request.provider_order_no]["order"]["callBackUrl"]
        self.assertTrue(callback.endswith(path := "/wisdom_einvoice/nuonuo/callback"))
        # without a session, the server's dbfilter picks the database (one per host name in production)
        self.patch(odoo.http, "db_filter", lambda dbs, host=None: [db for db in dbs if db == self.env.cr.dbname])
        headers = {"X-Odoo-Database": self.env.cr.dbname}
        response = self.url_open(path, data={"content": content}, headers=headers)
        self.assertEqual(response.json(), {"status": "0000", "message": "success"})
        self.assertEqual(request.state, "issuing", "the callback is not trusted as a result")
        self.assertFalse(request.einvoice_number)
        self.assertEqual(
            self.Message.search_count([("operation", "=", "query"), ("res_id", "=", request.id)]), queries + 1
        )
        unknown = self.url_open(path, data={"content": '{"orderNo": "NOPE"}'}, headers=headers)
        self.assertEqual(unknown.status_code, 200)
