"""Integration core: sending through queue_job (channels, back-off, retries), dead messages,
idempotency, redaction, rights."""

from datetime import timedelta
from unittest.mock import patch

import requests

from odoo.exceptions import AccessError, UserError

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.wisdom_crm_base.tests.common import WisdomRolesCase
from odoo.addons.wisdom_crm_base.tests.fake_server import FakeServer
from odoo.addons.wisdom_crm_base.tests.queue_jobs import TrappedJobsMixin
from odoo.addons.wisdom_crm_base.tools import integration

API_KEY = "AK-test-0001"
API_SECRET = "SK-test-0002"


def push_handler(message, payload):
    """A minimal bridge: POST the payload with the endpoint's token, map the answer to errors."""
    endpoint = message.endpoint_id.sudo()
    try:
        response = requests.post(
            f"{endpoint.base_url}/orders",
            json=payload,
            timeout=endpoint.timeout,
            headers={"Authorization": f"Bearer {endpoint.api_key}"},
        )
    except requests.exceptions.RequestException as error:
        raise integration.TransientError(f"{error} (key {endpoint.api_key})") from error
    message.http_status = response.status_code
    if integration.is_retryable_http_status(response.status_code):
        raise integration.TransientError(f"HTTP {response.status_code}", http_status=response.status_code)
    if response.status_code >= 400:
        raise integration.BusinessError(
            f"refused: {response.json()} with key {endpoint.api_key}",
            http_status=response.status_code,
            response=response.json(),
        )
    return response.json()


class IntegrationCase(TrappedJobsMixin, WisdomRolesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = FakeServer().__enter__()
        cls.addClassCleanup(cls.server.__exit__, None, None, None)
        cls.server.require_token(f"Bearer {API_KEY}")
        cls.server.route("POST", "/orders", lambda request: (200, {"order_no": "4500001" + request.json()["ref"]}))
        cls.Message = cls.env["wisdom.integration.message"]
        cls.endpoint = cls.env["wisdom.integration.endpoint"].create(
            {
                "name": "MES test",
                "system": "mes",
                "base_url": cls.server.url,
                "max_attempts": 3,
                "retry_base_delay": 60,
                "api_key": API_KEY,
                "api_secret": API_SECRET,
            }
        )

    def setUp(self):
        super().setUp()
        self.server.reset()
        self.server.reject_duplicates(None)
        handlers = patch.object(
            type(self.Message), "_wisdom_integration_handlers", lambda self: {("mes", "push"): push_handler}
        )
        handlers.start()
        self.addCleanup(handlers.stop)

    def assert_close(self, first, second, seconds=5):
        self.assertLessEqual(abs(first - second), timedelta(seconds=seconds), f"{first} != {second}")


class TestIntegrationJobs(IntegrationCase):
    def test_queued_on_the_system_channel(self):
        with trap_jobs() as trap:
            message = self.Message.wisdom_enqueue("mes", "push", {"ref": "Q"})
            trap.assert_jobs_count(1, only=message._wisdom_job_send)
            trap.assert_enqueued_job(
                message._wisdom_job_send,
                properties={
                    "channel": "root.wisdom_integration.mes",
                    "eta": None,
                    "max_retries": 3,
                    "identity_key": f"wisdom.integration.message,{message.id}",
                },
            )
        self.assertEqual((message.state, message.attempts), ("pending", 0))

    def test_job_function_and_channels_are_data(self):
        config = self.env["queue.job.function"].job_config("<wisdom.integration.message>._wisdom_job_send")
        self.assertEqual(config.channel, "root.wisdom_integration")
        self.assertTrue(config.allow_commit, "a failed attempt is committed before queue_job rolls back")
        self.assertEqual(config.on_fail_method_name, "_wisdom_job_failed")
        self.assertEqual(config.retry_pattern, {0: 10, 3: 60, 5: 300})
        channels = self.env["queue.job.channel"].search([]).mapped("complete_name")
        for system, _label in self.Message._fields["system"].selection:
            self.assertIn(f"root.wisdom_integration.{system}", channels)

    def test_transient_failure_is_retryable_after_the_endpoint_backoff(self):
        self.server.fail_next(1, status=503)
        with trap_jobs() as trap:
            message = self.Message.wisdom_enqueue(
                "mes", "push", {"ref": "A"}, record=self.customer_a1, idempotency_key="push-A"
            )
            job = trap.enqueued_jobs[0]
            # Not self.assertRaises: Odoo's rolls the test cursor back to before the block.
            with self.enter_registry_test_mode():
                try:
                    job.perform()
                except RetryableJobError as error:
                    retry = error
                else:
                    self.fail("a 503 is retried")
        self.assertEqual(retry.seconds, 60, "the endpoint's first retry delay")
        self.assertEqual(str(retry), "failed after attempt 1: HTTP 503")
        # The job's transaction was rolled back, the failed attempt stays recorded.
        self.assertEqual((message.state, message.attempts, message.http_status), ("failed", 1, 503))
        self.assertEqual((message.total_attempts, message.failed_attempts, message.last_error), (1, 1, "HTTP 503"))
        self.assertTrue(message.first_failure_at)
        self.assert_close(message.next_attempt_at, message.last_attempt_at + timedelta(seconds=60))
        # Called directly (not as a job), the next attempt sends again and succeeds.
        self.assertEqual(message._wisdom_job_send(), "done after attempt 2")
        self.assertEqual(message.wisdom_response(), {"order_no": "4500001A"})
        self.assertGreaterEqual(message.recovery_hours, 0.0)
        self.assertEqual((message.res_model, message.res_id), ("res.partner", self.customer_a1.id))

    def test_retried_after_two_5xx_with_growing_backoff(self):
        self.server.fail_next(2, status=503)
        with trap_jobs() as trap:
            message = self.Message.wisdom_enqueue("mes", "push", {"ref": "A"})
            [job] = self.perform_jobs_round(trap)
            self.assertEqual((message.state, message.attempts, message.http_status), ("failed", 1, 503))
            self.assert_close(job.eta, message.next_attempt_at)
            [job] = self.perform_jobs_round(trap)
            self.assertEqual((message.state, message.attempts, job.retry), ("failed", 2, 2))
            self.assert_close(job.eta, message.last_attempt_at + timedelta(seconds=120))
            self.assertFalse(self.perform_jobs_round(trap))
            trap.assert_jobs_count(0)
        self.assertEqual(message.state, "done")
        self.assertEqual((message.attempts, message.total_attempts, message.failed_attempts), (3, 3, 2))
        self.assertEqual(message.wisdom_response(), {"order_no": "4500001A"})
        self.assertEqual([r.answered for r in self.server.requests], [503, 503, 200])
        self.assertTrue(message.first_failure_at and message.done_at)
        self.assertFalse(message.next_attempt_at)

    def test_retry_of_a_failed_message_replaces_its_waiting_job(self):
        message = self.Message.wisdom_enqueue("mes", "push", {"ref": "W"})
        waiting = message._wisdom_waiting_jobs()
        self.assertEqual((len(waiting), waiting.channel), (1, "root.wisdom_integration.mes"))
        message.write({"state": "failed", "attempts": 2})
        message.with_user(self.integration_admin).action_retry()
        self.assertEqual((message.state, message.attempts), ("pending", 0))
        self.assertEqual(waiting.state, "cancelled")
        fresh = message._wisdom_waiting_jobs()
        self.assertEqual((len(fresh), fresh.max_retries), (1, 3))
        self.assertNotEqual(fresh, waiting)

    def test_an_endpoint_answering_again_brings_its_long_waits_forward(self):
        """After an outage the messages in a long back-off go as soon as the endpoint answers again;
        a message in a short back-off (a flapping system) keeps it."""
        self.server.fail_next(2, status=503)
        short = self.Message.wisdom_enqueue("mes", "push", {"ref": "S"})
        short._wisdom_attempt()  # next attempt in 60 s
        self.endpoint.retry_base_delay = 1800
        long = self.Message.wisdom_enqueue("mes", "push", {"ref": "L"})
        long._wisdom_attempt()  # next attempt in 30 minutes
        for message in short | long:
            # what queue_job does with the RetryableJobError of the attempt
            message._wisdom_waiting_jobs().eta = message.next_attempt_at
        short_next = short.next_attempt_at
        self.assertEqual((short.state, long.state), ("failed", "failed"))
        answered = self.Message.wisdom_enqueue("mes", "push", {"ref": "OK"})
        self.assertIsNone(answered._wisdom_attempt())
        self.assertEqual(answered.state, "done")
        now = answered.done_at
        self.assert_close(long.next_attempt_at, now)
        self.assert_close(long._wisdom_waiting_jobs().eta, now)
        self.assertEqual(short.next_attempt_at, short_next)
        self.assert_close(short._wisdom_waiting_jobs().eta, short_next)
        self.assertEqual(long._wisdom_job_send(), "done after attempt 2")

    def test_failed_job_makes_the_message_dead(self):
        message = self.Message.wisdom_enqueue("mes", "push", {"ref": "J"})
        message._wisdom_job_failed(
            exc_name="odoo.addons.queue_job.exception.FailedJobError",
            exc_message=f"Max. retries (3) reached: refused with key {API_KEY}",
        )
        self.assertEqual((message.state, message.next_attempt_at), ("dead", False))
        self.assertEqual(message.last_error, "Max. retries (3) reached: refused with key ***")


class TestIntegrationMessages(IntegrationCase):
    def test_dead_after_the_retry_budget_and_admin_retry(self):
        self.server.fail_next(3, status=502)
        with trap_jobs() as trap:
            message = self.Message.wisdom_enqueue("mes", "push", {"ref": "B"})
            self.assertEqual(len(self.perform_jobs_round(trap)), 1)
            self.assertEqual(len(self.perform_jobs_round(trap)), 1)
            self.assertFalse(self.perform_jobs_round(trap), "the last attempt ends the job: no retry")
            self.assertEqual((message.state, message.attempts, message.next_attempt_at), ("dead", 3, False))
            self.assertEqual(message.last_error, "HTTP 502")
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
            self.assertFalse(self.perform_jobs_round(trap), "not retried")
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
        self.assertFalse([v for v in tracked if API_KEY in str(v.old_value_char) + str(v.new_value_char)])

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
        for user in (
            self.rep_a1,
            self.manager_a,
            self.director,
            self.product_manager,
            self.finance,
            self.contract_admin,
        ):
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
        self.env["ir.model.access"].create(
            {
                "name": "test manager read",
                "model_id": model.id,
                "group_id": self.env.ref("wisdom_crm_base.group_wisdom_manager").id,
                "perm_read": True,
            }
        )
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
        fields_info = (
            self.env["wisdom.integration.endpoint"]
            .with_user(self.integration_admin)
            .fields_get(["api_key", "api_secret", "name"], ["exportable"])
        )
        self.assertFalse(fields_info["api_key"]["exportable"])
        self.assertFalse(fields_info["api_secret"]["exportable"])
        self.assertTrue(fields_info["name"]["exportable"])
        endpoint = self.endpoint.with_user(self.integration_admin)
        with self.assertRaises(UserError):
            endpoint.export_data(["name", "api_secret"])
        self.assertEqual(self.endpoint.export_data(["name"])["datas"], [["MES test"]])
