"""Integration core: queue_job sending with backoff, dead messages, idempotency, redaction, rights."""

from datetime import timedelta
from unittest.mock import patch

import requests

from odoo import fields
from odoo.exceptions import AccessError, UserError

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.wisdom_crm_base.tests.common import WisdomRolesCase
from odoo.addons.wisdom_crm_base.tests.fake_server import FakeServer
from odoo.addons.wisdom_crm_base.tools import integration

API_KEY = "AK-test-0001"
API_SECRET = "SK-test-0002"


def push_handler(message, payload):
    """A minimal bridge: POST the payload with the endpoint's token, map the answer to errors."""
    endpoint = message.endpoint_id.sudo()
    try:
        response = requests.post(
            f"{endpoint.base_url}/orders", json=payload, timeout=endpoint.timeout,
            headers={"Authorization": f"Bearer {endpoint.api_key}"},
        )
    except requests.exceptions.RequestException as error:
        raise integration.TransientError(f"{error} (key {endpoint.api_key})") from error
    message.http_status = response.status_code
    if integration.is_retryable_http_status(response.status_code):
        raise integration.TransientError(f"HTTP {response.status_code}", http_status=response.status_code)
    if response.status_code >= 400:
        raise integration.BusinessError(
            f"refused: {response.json()} with key {endpoint.api_key}", http_status=response.status_code,
            response=response.json(),
        )
    return response.json()


class IntegrationCase(WisdomRolesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = FakeServer().__enter__()
        cls.addClassCleanup(cls.server.__exit__, None, None, None)
        cls.server.require_token(f"Bearer {API_KEY}")
        cls.server.route("POST", "/orders", lambda request: (200, {"order_no": "4500001" + request.json()["ref"]}))
        cls.Message = cls.env["wisdom.integration.message"]
        cls.endpoint = cls.env["wisdom.integration.endpoint"].create({
            "name": "MES test", "system": "mes", "base_url": cls.server.url, "max_attempts": 3,
            "retry_base_delay": 60, "api_key": API_KEY, "api_secret": API_SECRET,
        })

    def setUp(self):
        super().setUp()
        self.server.reset()
        self.server.reject_duplicates(None)
        handlers = patch.object(
            type(self.Message), "_wisdom_integration_handlers", lambda self: {("mes", "push"): push_handler}
        )
        handlers.start()
        self.addCleanup(handlers.stop)

    def run_jobs(self, trap, rounds=20):
        """Perform the trapped jobs, and the retries they schedule, until none is left."""
        for _round in range(rounds):
            if not trap.enqueued_jobs:
                return
            trap.perform_enqueued_jobs()
        raise AssertionError("jobs still enqueued after %s rounds" % rounds)


class TestIntegrationMessages(IntegrationCase):
    def test_retried_after_two_5xx(self):
        self.server.fail_next(2, status=503)
        with trap_jobs() as trap:
            message = self.Message.wisdom_enqueue("mes", "push", {"ref": "A"}, record=self.customer_a1,
                                                  idempotency_key="push-A")
            trap.assert_jobs_count(1)
            self.assertEqual(message.state, "pending")
            trap.perform_enqueued_jobs()
            self.assertEqual((message.state, message.attempts, message.http_status), ("failed", 1, 503))
            first_retry = message.next_attempt_at
            self.assertEqual(trap.calls[-1].properties["eta"], first_retry)
            trap.perform_enqueued_jobs()
            self.assertEqual(message.state, "failed")
            self.assertGreater(message.next_attempt_at - message.last_attempt_at, first_retry - message.create_date,
                               "the second retry waits longer than the first")
            trap.perform_enqueued_jobs()
        self.assertEqual(message.state, "done")
        self.assertEqual((message.attempts, message.total_attempts, message.failed_attempts), (3, 3, 2))
        self.assertEqual(message.wisdom_response(), {"order_no": "4500001A"})
        self.assertEqual([r.answered for r in self.server.requests], [503, 503, 200])
        self.assertTrue(message.first_failure_at and message.done_at)
        self.assertGreaterEqual(message.recovery_hours, 0.0)
        self.assertEqual((message.res_model, message.res_id), ("res.partner", self.customer_a1.id))

    def test_dead_after_the_retry_budget_and_admin_retry(self):
        self.server.fail_next(3, status=502)
        with trap_jobs() as trap:
            message = self.Message.wisdom_enqueue("mes", "push", {"ref": "B"})
            self.run_jobs(trap)
            self.assertEqual((message.state, message.attempts, message.next_attempt_at), ("dead", 3, False))
            self.assertEqual(self.server.count(), 3, "no call after the budget is used up")
            self.assertEqual(trap.jobs_count(), 0)
            message.with_user(self.integration_admin).action_retry()
            self.assertEqual((message.state, message.attempts), ("pending", 0))
            self.run_jobs(trap)
        self.assertEqual(message.state, "done")
        self.assertEqual((message.total_attempts, message.failed_attempts), (4, 3))

    def test_business_error_is_not_retried(self):
        self.server.business_error_next({"code": "E4000", "describe": "bad field"}, status=400)
        with trap_jobs() as trap:
            message = self.Message.wisdom_enqueue("mes", "push", {"ref": "C"})
            self.run_jobs(trap)
        self.assertEqual((message.state, message.attempts, message.http_status), ("dead", 1, 400))
        self.assertIn("E4000", message.last_error)
        self.assertIn("E4000", message.response_payload)

    def test_expired_token_is_a_business_error(self):
        self.server.expire_token_next(1)
        message = self.Message.wisdom_send_now("mes", "push", {"ref": "T"})
        self.assertEqual((message.state, message.http_status), ("dead", 401))

    def test_done_key_never_sends_twice(self):
        self.server.reject_duplicates(lambda request: request.json()["ref"])
        with trap_jobs() as trap:
            message = self.Message.wisdom_enqueue("mes", "push", {"ref": "D"}, idempotency_key="push-D")
            self.run_jobs(trap)
            self.assertEqual(message.state, "done")
            again = self.Message.wisdom_enqueue("mes", "push", {"ref": "D"}, idempotency_key="push-D")
            self.assertEqual(again, message)
            trap.assert_jobs_count(0)
            self.assertEqual(message._wisdom_job_send(), "not sent: already done")
            now = self.Message.wisdom_send_now("mes", "push", {"ref": "D"}, idempotency_key="push-D")
            self.assertEqual(now, message)
        self.assertEqual(self.server.count(), 1)
        self.assertEqual(self.Message.search_count([("idempotency_key", "=", "push-D")]), 1)
        # A different operation may use the same key.
        other = self.Message.wisdom_enqueue("mes", "cancel", {"ref": "D"}, idempotency_key="push-D")
        self.assertNotEqual(other, message)

    def test_unknown_operation_is_dead_with_a_clear_error(self):
        message = self.Message.wisdom_send_now("mes", "nothing_like_this", {})
        self.assertEqual(message.state, "dead")
        self.assertIn("No handler", message.last_error)

    def test_interactive_failure_is_recorded_not_retried(self):
        self.server.fail_next(1, status=500)
        with trap_jobs() as trap:
            message = self.Message.wisdom_send_now("mes", "push", {"ref": "E"})
            trap.assert_jobs_count(0)
        self.assertEqual((message.state, message.next_attempt_at, message.interactive), ("failed", False, True))

    def test_secrets_never_stored(self):
        self.server.business_error_next({"code": "E9106"}, status=409)
        message = self.Message.wisdom_send_now(
            "mes", "push", {"ref": "F", "password": "hunter22", "note": f"with {API_SECRET}"}
        )
        stored = " ".join(str(message[f] or "") for f in ("request_payload", "response_payload", "last_error"))
        for secret in (API_KEY, API_SECRET, "hunter22"):
            self.assertNotIn(secret, stored)
        self.assertIn("with key ***", message.last_error)
        tracked = self.env["mail.tracking.value"].search([("mail_message_id.res_id", "=", self.endpoint.id)])
        self.assertFalse(
            [v for v in tracked if API_KEY in str(v.old_value_char) + str(v.new_value_char)]
        )

    def test_requeue_cron_picks_up_lost_jobs(self):
        message = self.Message.create({"endpoint_id": self.endpoint.id, "system": "mes", "operation": "push",
                                       "request_payload": '{"ref": "G"}', "state": "failed", "attempts": 1,
                                       "next_attempt_at": fields.Datetime.now() - timedelta(hours=1)})
        with trap_jobs() as trap:
            self.assertEqual(self.Message._cron_requeue(), 1)
            self.run_jobs(trap)
        self.assertEqual(message.state, "done")

    def test_dashboard_figures(self):
        self.server.fail_next(1, status=503)
        with trap_jobs() as trap:
            for ref in "HIJ":
                self.Message.wisdom_enqueue("mes", "push", {"ref": ref})
            self.run_jobs(trap)
        data = self.Message.wisdom_dashboard_data()["mes"]
        self.assertEqual(data["states"], {"done": 3})
        self.assertEqual((data["calls_24h"], data["failed_24h"]), (4, 1))
        self.assertAlmostEqual(data["failure_rate_7d"], 0.25)
        self.assertEqual(data["recovery_count"], 1)
        dashboard = self.env["wisdom.integration.dashboard"].with_user(self.integration_admin).create({})
        self.assertAlmostEqual(dashboard.failure_rate_24h, 25.0)
        self.assertFalse(dashboard.targets_met)
        self.assertIn("25.00 % (1/4)", dashboard.summary_html)
        endpoint = self.endpoint.with_user(self.integration_admin)
        self.assertEqual((endpoint.message_count, endpoint.dead_message_count), (3, 0))
        action = endpoint.action_view_messages()
        self.assertEqual(self.Message.search(action["domain"]).mapped("state"), ["done"] * 3)


class TestIntegrationRights(IntegrationCase):
    def test_only_the_integration_admin_sees_endpoints_and_messages(self):
        message = self.Message.wisdom_send_now("mes", "push", {"ref": "R"})
        for user in (self.rep_a1, self.manager_a, self.director, self.product_manager, self.finance,
                     self.contract_admin):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.endpoint.with_user(user).read(["name"])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                message.with_user(user).read(["state"])
        admin_endpoint = self.endpoint.with_user(self.integration_admin)
        self.assertEqual(admin_endpoint.api_key, API_KEY)
        admin_endpoint.api_secret = "SK-rotated-0003"
        self.assertEqual(message.with_user(self.integration_admin).state, "done")

    def test_credentials_hidden_from_a_sales_manager_even_with_model_access(self):
        # Even if a sales manager were given read access to endpoints, the credential fields stay hidden.
        model = self.env.ref("wisdom_crm_base.model_wisdom_integration_endpoint")
        self.env["ir.model.access"].create({
            "name": "test manager read", "model_id": model.id,
            "group_id": self.env.ref("wisdom_crm_base.group_wisdom_manager").id, "perm_read": True,
        })
        endpoint = self.endpoint.with_user(self.manager_a)
        self.assertEqual(endpoint.read(["name"])[0]["name"], "MES test")
        for field in ("api_key", "api_secret", "password"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                endpoint.read([field])
        self.assertNotIn("api_key", endpoint.fields_get())
        with self.assertRaises(AccessError):
            endpoint.write({"api_key": "stolen"})
        with self.assertRaises(AccessError):
            endpoint.search([("api_key", "=", API_KEY)])

    def test_credentials_are_not_exportable(self):
        fields_info = self.env["wisdom.integration.endpoint"].with_user(self.integration_admin).fields_get(
            ["api_key", "api_secret", "name"], ["exportable"]
        )
        self.assertFalse(fields_info["api_key"]["exportable"])
        self.assertFalse(fields_info["api_secret"]["exportable"])
        self.assertTrue(fields_info["name"]["exportable"])
        endpoint = self.endpoint.with_user(self.integration_admin)
        with self.assertRaises(UserError):
            endpoint.export_data(["name", "api_secret"])
        self.assertEqual(self.endpoint.export_data(["name"])["datas"], [["MES test"]])
