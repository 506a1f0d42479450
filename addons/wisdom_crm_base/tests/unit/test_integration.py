"""Integration core policy (pure Python): retries, dead messages, redaction, dashboard figures."""

import json
import unittest
from datetime import datetime, timedelta

from odoo.addons.wisdom_crm_base.tools import integration

NOW = datetime(2026, 3, 10, 8, 0, 0)


class TestRetryPolicy(unittest.TestCase):
    def test_exponential_delays_are_capped(self):
        policy = integration.RetryPolicy(max_attempts=10, base_delay=60, max_delay=600)
        self.assertEqual([policy.delay(n) for n in range(1, 7)], [60, 120, 240, 480, 600, 600])

    def test_retryable_failure_is_retried_until_the_last_attempt(self):
        policy = integration.RetryPolicy(max_attempts=3, base_delay=30)
        self.assertEqual([policy.state_after_failure(n, True) for n in (1, 2, 3)], ["failed", "failed", "dead"])
        self.assertEqual((policy.delay(1), policy.delay(2)), (30, 60))

    def test_long_waits_go_at_once_when_the_endpoint_answers(self):
        policy = integration.RetryPolicy()
        now = datetime(2026, 12, 4, 10, 0)
        self.assertTrue(policy.waits_too_long(now + timedelta(minutes=32), now))
        self.assertTrue(policy.waits_too_long(now + timedelta(seconds=301), now))
        # a flapping system keeps its short back-off
        self.assertFalse(policy.waits_too_long(now + timedelta(seconds=300), now))
        self.assertFalse(policy.waits_too_long(now + timedelta(seconds=60), now))
        self.assertFalse(policy.waits_too_long(False, now))

    def test_business_error_is_dead_at_once(self):
        self.assertEqual(integration.RetryPolicy().state_after_failure(1, False), "dead")

    def test_server_asked_delay_wins_when_longer(self):
        policy = integration.RetryPolicy(base_delay=10)
        self.assertEqual(policy.delay(1, retry_after=299.2), 300, "never earlier than asked")
        self.assertEqual(policy.delay(1, retry_after=3), 10)

    def test_http_statuses(self):
        self.assertTrue(integration.is_retryable_http_status(500))
        self.assertTrue(integration.is_retryable_http_status(503))
        self.assertTrue(integration.is_retryable_http_status(429))
        self.assertFalse(integration.is_retryable_http_status(400))
        self.assertFalse(integration.is_retryable_http_status(401))
        self.assertFalse(integration.is_retryable_http_status(409))
        self.assertFalse(integration.is_retryable_http_status(None))

    def test_error_classes(self):
        self.assertTrue(integration.TransientError("timeout").retryable)
        self.assertFalse(integration.BusinessError("E9106 duplicate").retryable)


class TestRedaction(unittest.TestCase):
    def test_secret_keys_and_values_are_hidden(self):
        payload = {
            "key": "AK-123456", "searchKey": "长沙星城", "headers": {"Token": "ABCDEF", "Timespan": "1700000000"},
            "password": "p4ssw0rd", "items": [{"note": "sent with AK-123456"}], "access_token": "",
        }  # fmt: skip
        clean = integration.redact(payload, secrets=["AK-123456"])
        self.assertEqual(clean["key"], "***")
        self.assertEqual(clean["searchKey"], "长沙星城")  # a search keyword is not a secret
        self.assertEqual(clean["headers"], {"Token": "***", "Timespan": "1700000000"})
        self.assertEqual(clean["password"], "***")
        self.assertEqual(clean["items"][0]["note"], "sent with ***")
        self.assertEqual(clean["access_token"], "")
        self.assertEqual(payload["key"], "AK-123456", "the original payload is left alone")

    def test_json_has_no_secret(self):
        text = integration.to_json({"appSecret": "S3cr3t-value", "body": "x S3cr3t-value y"}, ["S3cr3t-value"])
        self.assertNotIn("S3cr3t-value", text)
        self.assertEqual(json.loads(text)["body"], "x *** y")
        self.assertFalse(integration.to_json(None))


class TestFigures(unittest.TestCase):
    def test_failure_rate(self):
        self.assertEqual(integration.failure_rate(0, 0), 0.0)
        self.assertAlmostEqual(integration.failure_rate(200, 1), 0.005)

    def test_recovery_stats(self):
        stats = integration.recovery_stats(
            [(NOW, NOW + timedelta(hours=1)), (NOW, NOW + timedelta(hours=3)), (NOW, None)], target_hours=2
        )
        self.assertEqual(stats.count, 2)
        self.assertAlmostEqual(stats.mean_hours, 2.0)
        self.assertAlmostEqual(stats.max_hours, 3.0)
        self.assertEqual(stats.within_target, 1)
        self.assertEqual(stats.within_target_share, 0.5)
        self.assertEqual(integration.recovery_stats([]).count, 0)
