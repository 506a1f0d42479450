"""OA: a contract's tier reviews start OA processes (queued: submitting never waits for OA; OA down, slow,
refusing or losing its reply is retried without a second process), OA's signed decisions are applied to
the review as the right reviewer, restarted or CRM-decided reviews are withdrawn from OA, and only the
integration admin reads the OA configuration."""

import time
from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.wisdom_sap_bridge.tests.fake_oa import BY_REFERENCE, PROCESSES, FakeOa

from .common import PLM_CALLBACK_TOKEN, OwnCursorJobsMixin, SapBridgeCase

TOKEN = "oa-decision-3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f"
SECRET = "oa-signing-7f6e5d4c3b2a19080706050403020100"


@tagged("post_install", "-at_install")
class TestOaApprovals(OwnCursorJobsMixin, HttpCase, SapBridgeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.oa = FakeOa()
        cls.oa_endpoint = cls.start_fake(
            cls.oa,
            "wisdom_sap_bridge.endpoint_oa",
            inbound_token=TOKEN,
            inbound_signing_secret=SECRET,
            timeout=10,
            max_attempts=3,
        )
        cls.sap_endpoint.active = False  # SAP is tested on its own
        cls.director.oa_user_id = "u-1001"

    def setUp(self):
        super().setUp()
        self.oa.reset()
        self.first_message_id = (self.Message.search([], limit=1).id or 0) + 1

    def round(self, trap):
        self.env.flush_all()
        self.perform_jobs_round(trap)
        self.env.invalidate_all()

    def submitted(self, lines=None):
        """A contract of rep A1 below the floor price (the director approves), submitted; its OA jobs trapped."""
        order = self._contract(lines=lines or [(self.meter, 10, 450.0)])
        with trap_jobs() as trap:
            order.with_user(self.rep_a1).action_wisdom_submit_review()
        self.assertEqual(order.review_state, "pending")
        return order, trap

    def sent(self, lines=None):
        order, trap = self.submitted(lines)
        self.run_jobs(trap)
        self.assertTrue(all(order.review_ids.mapped("oa_process_id")))
        return order

    def push(self, body, token=TOKEN, secret=SECRET, timestamp=None, headers=None):
        data, signed_headers = self.oa.signed(body, token, secret, timestamp)
        response = self.url_open("/wisdom_oa/decision", data=data, headers={**signed_headers, **(headers or {})})
        return response.status_code, response.json()

    def oa_messages(self, operation):
        """The OA messages of this test."""
        return self.Message.search(
            [("system", "=", "oa"), ("operation", "=", operation), ("id", ">=", self.first_message_id)]
        )

    # CRM → OA

    def test_submitting_starts_one_oa_process_per_review(self):
        order, trap = self.submitted(lines=[(self.meter, 10, 450.0), (self.custom, 1, 2000.0)])
        reviews = order.review_ids
        self.assertEqual(len(reviews), 2, "director and product manager")
        self.assertEqual(set(reviews.mapped("oa_state")), {"queued"})
        self.assertEqual(len(trap.enqueued_jobs), 2)
        self.run_jobs(trap)
        self.assertEqual(len(self.oa.processes), 2)
        self.assertEqual(set(reviews.mapped("oa_state")), {"sent"})
        director_review = reviews.filtered(lambda r: self.director in r.reviewer_ids)
        process_id = self.oa.by_reference(director_review.oa_reference)
        self.assertEqual(director_review.oa_process_id, process_id)
        self.assertEqual(director_review.oa_reference, f"WISDOM-TR{director_review.id}")
        sent = self.oa.processes[process_id]["body"]
        self.assertEqual((sent["externalRef"], sent["contractNo"]), (director_review.oa_reference, order.contract_no))
        self.assertEqual((sent["amount"], sent["currency"]), (order.amount_total, order.currency_id.name))
        self.assertEqual(sent["customer"], order.partner_id.commercial_partner_id.display_name)
        [reviewer] = [r for r in sent["reviewers"] if r["login"] == "t_director"]
        self.assertEqual((reviewer["oaUserId"], reviewer["name"]), ("u-1001", "t_director"))
        self.assertEqual(sent["requester"]["login"], "t_rep_a1")
        self.assertTrue(sent["link"].endswith(f"/odoo/sale.order/{order.id}"))
        self.assertEqual(len(sent["reasons"]), 1, "the director's finding only")
        self.assertEqual(self.oa.requests[0].headers["Authorization"], f"Bearer {self.oa.api_key}")
        # the rep sees the processes on the contract
        as_rep = order.with_user(self.rep_a1)
        self.assertEqual(set(as_rep.oa_review_ids.mapped("oa_process_id")), set(self.oa.processes))

    def test_oa_down_never_blocks_the_review_and_is_retried(self):
        self.oa.fail_next(1, status=503)
        order, trap = self.submitted()
        self.round(trap)
        review = order.review_ids
        message = review.sudo().oa_message_id
        self.assertEqual((message.state, review.oa_state, order.review_state), ("failed", "retrying", "pending"))
        self.assertIn("503", review.oa_error)
        self.run_jobs(trap)
        self.assertEqual((review.oa_state, message.state), ("sent", "done"))
        self.assertEqual(len(self.oa.processes), 1)
        self.assertEqual(self.oa.count(BY_REFERENCE + review.oa_reference), 1, "looked up before sending again")
        self.assertEqual(self.oa.count(PROCESSES), 2)

    def test_timeout_after_oa_started_the_process_is_looked_up_not_started_twice(self):
        """Created, but the reply was lost: the client's timeout trips (at least 10 s under Odoo's tests)."""
        self.oa_endpoint.timeout = 10
        self.oa.lose_reply_next(1, seconds=10.5)
        order, trap = self.submitted()
        self.round(trap)
        review = order.review_ids
        self.assertEqual((review.oa_state, len(self.oa.processes)), ("retrying", 1), "OA has it, the CRM does not know")
        self.assertIn("did not answer", review.oa_error)
        self.run_jobs(trap)
        self.assertEqual(review.oa_process_id, self.oa.by_reference(review.oa_reference))
        self.assertEqual(review.sudo().oa_message_id.wisdom_response()["found_by_reference"], True)
        self.assertEqual(self.oa.count(BY_REFERENCE + review.oa_reference), 1)
        self.assertEqual((len(self.oa.processes), self.oa.count(PROCESSES, status=409)), (1, 0), "not started again")

    def test_lost_reply_without_look_up_takes_the_process_of_the_409(self):
        self.oa_endpoint.write({"timeout": 10, "rest_mapping": '{"lookup_path": ""}'})
        self.oa.lose_reply_next(1, seconds=10.5)
        order, trap = self.submitted()
        self.run_jobs(trap)
        review = order.review_ids
        self.assertEqual(review.oa_process_id, self.oa.by_reference(review.oa_reference))
        self.assertEqual(review.sudo().oa_message_id.wisdom_response()["duplicate"], True)
        self.assertEqual((len(self.oa.processes), self.oa.count(PROCESSES, status=409)), (1, 1))

    def test_refused_key_is_dead_and_retried_by_the_integration_admin(self):
        self.oa_endpoint.api_key = "wrong"
        order, trap = self.submitted()
        self.run_jobs(trap)
        review = order.review_ids
        self.assertEqual((review.oa_state, order.review_state), ("error", "pending"))
        self.assertIn("HTTP 401", review.oa_error)
        self.assertNotIn("wrong", review.oa_error)
        self.oa_endpoint.api_key = self.oa.api_key
        with trap_jobs() as retry:
            review.sudo().oa_message_id.with_user(self.integration_admin).action_retry()
        self.run_jobs(retry)
        self.assertEqual((review.oa_state, len(self.oa.processes)), ("sent", 1))

    def test_business_errors_are_dead_with_oa_code_and_the_crm_flow_goes_on(self):
        self.oa.business_error_next({"success": False, "errorCode": "WF_FORM_LOCKED", "message": "表单已锁定"})
        order, trap = self.submitted()
        self.run_jobs(trap)
        review = order.review_ids
        self.assertEqual(review.oa_state, "error")
        self.assertIn("WF_FORM_LOCKED", review.oa_error)
        self.assertIn("表单已锁定", review.oa_error)
        # the director still approves in the CRM and the rep signs
        order.with_user(self.director).validate_tier()
        self.assertEqual(order.review_state, "approved")
        order.with_user(self.rep_a1).action_confirm()
        self.assertEqual(order.state, "sale")

    # OA → CRM

    def test_oa_approval_is_applied_as_the_reviewer_once(self):
        order = self.sent()
        review = order.review_ids
        body = self.oa.decide(review.oa_process_id, "APPROVED", approver="u-1001", comment="同意，价格可接受")
        status, answer = self.push(body)
        self.assertEqual((status, answer["state"], answer["already_received"]), (200, "done", False), answer)
        self.assertEqual((answer["result"]["applied"], answer["result"]["approver"]), (True, "t_director"))
        self.env.invalidate_all()
        self.assertEqual(
            (review.status, review.done_by, review.comment), ("approved", self.director, "同意，价格可接受")
        )
        self.assertEqual(review.reviewed_date, datetime(2026, 5, 4, 2, 30))
        self.assertEqual((order.validation_status, order.review_state), ("validated", "approved"))
        notes = order.message_ids.filtered(lambda m: "OA-WF" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("同意，价格可接受", notes.body)
        self.assertEqual(notes.author_id, self.director.partner_id)
        self.assertFalse(self.oa_messages("approval_cancel"), "a decision from OA is not withdrawn from OA")
        # OA sends the same decision again (its callback retried, or replayed): nothing more happens
        status, again = self.push(body)
        self.assertEqual((status, again["already_received"], again["message_id"]), (200, True, answer["message_id"]))
        self.env.invalidate_all()
        self.assertEqual(len(order.message_ids.filtered(lambda m: "OA-WF" in (m.body or ""))), 1)
        order.with_user(self.rep_a1).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_oa_rejection_by_login_with_comment(self):
        order = self.sent()
        review = order.review_ids
        body = self.oa.decide(review.oa_process_id, "REJECTED", approver="t_director", comment="价格太低")
        status, answer = self.push(body)
        self.assertEqual(status, 200, answer)
        self.env.invalidate_all()
        self.assertEqual((review.status, review.done_by, order.review_state), ("rejected", self.director, "rejected"))
        self.assertTrue(order.message_ids.filtered(lambda m: "价格太低" in (m.body or "")))
        # rejected in the CRM already: OA approving it afterwards is a conflict, nothing changes
        status, answer = self.push({**body, "decision": "APPROVED"})
        self.assertEqual((status, answer["code"]), (409, "already_decided"), answer)
        self.env.invalidate_all()
        self.assertEqual(review.status, "rejected")

    def test_decision_of_a_review_decided_the_same_way_in_the_crm_is_a_no_op(self):
        order = self.sent()
        review = order.review_ids
        order.with_user(self.director).validate_tier()
        status, answer = self.push(self.oa.decide(review.oa_process_id, "APPROVED", approver="u-1001"))
        self.assertEqual((status, answer["result"]["applied"]), (200, False), answer)

    def test_unsigned_forged_or_stale_decisions_are_refused(self):
        order = self.sent()
        review = order.review_ids
        body = self.oa.decide(review.oa_process_id, "APPROVED", approver="u-1001")
        messages = self.Message.search_count([])
        cases = {
            "no token": {"token": ""},
            "wrong token": {"token": "wrong"},
            "wrong secret": {"secret": "not-the-secret"},
            "stale": {"timestamp": time.time() - 600},
            "from the future": {"timestamp": time.time() + 600},
            "no signature": {"headers": {"X-Wisdom-Signature": ""}},
            "body changed after signing": {"headers": {"X-Wisdom-Signature": "sha256=" + "0" * 64}},
        }
        for name, kwargs in cases.items():
            with self.subTest(name):
                status, answer = self.push(body, **kwargs)
                self.assertEqual(status, 401, answer)
        # without a signing secret on the endpoint, OA's decisions are not accepted at all
        self.oa_endpoint.inbound_signing_secret = False
        status, answer = self.push(body)
        self.assertEqual((status, answer["error"]), (401, "bad_signature"))
        self.assertIn("Signing Secret", answer["message"])
        self.assertEqual(self.Message.search_count([]), messages, "nothing recorded")
        self.env.invalidate_all()
        self.assertEqual(review.status, "pending")

    def test_a_signing_secret_guards_the_other_pushes_too(self):
        self.plm_endpoint.inbound_signing_secret = "plm-signing-secret-0123456789abcdef"
        body = {"requestId": "PLM-REQ-NOPE", "status": "DONE", "materialCode": "X-1"}
        data, headers = self.oa.signed(body, PLM_CALLBACK_TOKEN, "plm-signing-secret-0123456789abcdef")
        unsigned = {"Content-Type": "application/json", "Authorization": f"Bearer {PLM_CALLBACK_TOKEN}"}
        self.assertEqual(self.url_open("/wisdom_plm/callback", data=data, headers=unsigned).status_code, 401)
        response = self.url_open("/wisdom_plm/callback", data=data, headers=headers)
        self.assertEqual((response.status_code, response.json()["state"]), (202, "dead"), "accepted, no such request")

    def test_bad_bodies_unknown_reviews_and_approvers(self):
        order = self.sent()
        review = order.review_ids
        body = self.oa.decide(review.oa_process_id, "APPROVED", approver="u-2002", comment="ok")
        for bad in (b"{x", b"[1]", {**body, "decision": "MAYBE"}, {**body, "approver": ""}):
            with self.subTest(body=bad):
                self.assertEqual(self.push(bad)[0], 400)
        status, answer = self.push({**body, "externalRef": "WISDOM-TR999999", "processId": ""})
        self.assertEqual((status, answer["code"]), (404, "unknown_review"), answer)
        status, answer = self.push({**body, "externalRef": "", "processId": "OA-WF-NOPE"})
        self.assertEqual(status, 404, answer)
        # an approver OA knows but the CRM does not: refused with the reason, nothing applied
        status, answer = self.push(body)
        self.assertEqual((status, answer["code"], answer["state"]), (409, "unknown_approver", "dead"), answer)
        self.assertIn("u-2002", answer["error"])
        self.env.invalidate_all()
        self.assertEqual((review.status, review.comment), ("pending", False))
        # a CRM user who is not a reviewer of this tier
        self.finance.oa_user_id = "u-2002"
        status, answer = self.push(body)
        self.assertEqual((status, answer["code"]), (409, "not_a_reviewer"), answer)
        # mapped to the director, OA's next push of the same decision is applied (the same message)
        self.finance.oa_user_id = False
        self.env.flush_all()
        self.director.oa_user_id = "u-2002"
        status, retried = self.push(body)
        self.assertEqual((status, retried["message_id"]), (200, answer["message_id"]), retried)
        self.env.invalidate_all()
        self.assertEqual((review.status, review.done_by), ("approved", self.director))

    def test_dead_decision_is_applied_by_the_retry_button(self):
        order = self.sent()
        review = order.review_ids
        status, answer = self.push(self.oa.decide(review.oa_process_id, "APPROVED", approver="zhang.san"))
        self.assertEqual(status, 409)
        message = self.Message.browse(answer["message_id"])
        self.assertEqual((message.state, message.res_id), ("dead", order.id))
        self.director.oa_user_id = "zhang.san"
        with trap_jobs() as trap:
            message.with_user(self.integration_admin).action_retry()
        self.run_jobs(trap)
        self.assertEqual((message.state, review.status, review.done_by), ("done", "approved", self.director))

    # WITHDRAWING

    def test_restarted_review_is_withdrawn_and_a_new_process_started(self):
        order = self.sent()
        old = order.review_ids
        old_reference, old_process = old.oa_reference, old.oa_process_id
        with trap_jobs() as trap:
            line = order.order_line[0]
            order.with_user(self.rep_a1).write({"order_line": [Command.update(line.id, {"price_unit": 460.0})]})
        new = order.review_ids
        self.assertNotEqual(new.oa_reference, old_reference)
        self.run_jobs(trap)
        self.assertEqual(self.oa.processes[old_process]["status"], "CANCELLED")
        self.assertEqual(self.oa.processes[old_process]["reason"], "restarted")
        self.assertEqual(new.oa_state, "sent")
        self.assertEqual(len(self.oa.processes), 2)
        # OA deciding the withdrawn process is told the review is gone
        status, answer = self.push(self.oa.decide(old_process, "APPROVED", approver="u-1001"))
        self.assertEqual((status, answer["code"]), (404, "unknown_review"))

    def test_review_decided_in_the_crm_is_withdrawn_from_oa(self):
        order = self.sent()
        process_id = order.review_ids.oa_process_id
        with trap_jobs() as trap:
            order.with_user(self.director).validate_tier()
        self.run_jobs(trap)
        self.assertEqual(self.oa.processes[process_id]["status"], "CANCELLED")
        self.assertEqual(self.oa.processes[process_id]["reason"], "decided_in_crm")
        self.assertTrue(order.message_ids.filtered(lambda m: process_id in (m.body or "")), "noted on the contract")

    def test_review_removed_before_its_process_was_sent(self):
        """Restarted while OA was down: the request is not sent, nothing is left to withdraw."""
        order, trap = self.submitted()
        review_id = order.review_ids.id
        with trap_jobs() as restart:
            order.with_user(self.rep_a1).restart_validation()
        self.assertFalse(self.env["tier.review"].browse(review_id).exists())
        self.run_jobs(trap)
        self.run_jobs(restart)
        self.assertEqual(self.oa.processes, {})
        self.assertEqual(self.oa_messages("approval_request").wisdom_response(), {"process_id": "", "skipped": True})
        self.assertEqual(self.oa_messages("approval_cancel").state, "done")

    # ACCESS

    def test_only_the_integration_admin_reads_the_oa_configuration(self):
        order = self.sent()
        review = order.review_ids
        for user in (self.rep_a1, self.manager_a, self.director, self.finance, self.contract_admin):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.oa_endpoint.with_user(user).read(["rest_mapping"])
                with self.assertRaises(AccessError):
                    self.oa_endpoint.with_user(user).write({"base_url": "https://evil.example"})
                with self.assertRaises(AccessError):
                    review.with_user(user).write({"oa_process_id": "OA-WF-FORGED"})
                with self.assertRaises(AccessError):
                    review.with_user(user).read(["oa_message_id"])
        admin = self.oa_endpoint.with_user(self.integration_admin)
        self.assertEqual((admin.inbound_signing_secret, admin.inbound_token), (SECRET, TOKEN))
        admin.write({"rest_mapping": '{"fields": {"approver": "userCode"}}'})
        with self.assertRaises(UserError):
            admin.export_data(["inbound_signing_secret"])
        # the rep reads the process of the contract's approval, not its message
        values = order.with_user(self.rep_a1).oa_review_ids.read(["oa_process_id", "oa_state"])
        self.assertEqual(values[0]["oa_process_id"], review.oa_process_id)
        # the rep cannot map themselves to an OA user (an approver's identity)
        with self.assertRaises(AccessError):
            self.rep_a1.with_user(self.rep_a1).write({"oa_user_id": "u-1001"})
        # the secrets never appear in what the messages store
        stored = " ".join(self.oa_messages("approval_request").mapped("request_payload"))
        self.assertNotIn(SECRET, stored)
        self.assertNotIn(self.oa.api_key, stored)
