"""Policy of the integration core: which failures are retried, after how long, when a message is
dead, how payloads are redacted and how the dashboard's figures are computed (queue_job runs the
retries).

No ``odoo`` import: the models of ``wisdom.integration.message`` call these functions and the
unit tests in ``tests/unit/test_integration.py`` run without a database.

Handlers of the bridges (Qichacha, e-invoice, SAP, WeCom…) raise ``TransientError`` for failures
that may go away (timeout, refused connection, HTTP 5xx, rate limit) and ``BusinessError`` for
answers that will not change by sending again (bad data, unknown company, duplicate rejected).
"""

import json
import math
import re
from dataclasses import dataclass

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BASE_DELAY = 60  # seconds before the second attempt
DEFAULT_MAX_DELAY = 3600
# A message waiting longer than this for its next attempt is sent at once when its endpoint answers
# again: the long back-off was for a system that was down, not for one that flaps.
RECOVERY_WAIT = 300
REDACTED = "***"
SECRET_KEY_PATTERN = re.compile(
    r"(pass(word)?|secret|token|api[_-]?key|app[_-]?key|^key$|authorization|signature|^sign$|credential|cookie)",
    re.IGNORECASE,
)


class IntegrationError(Exception):
    """A failed exchange. ``retryable`` decides between another attempt and giving up."""

    retryable = False

    def __init__(self, message, http_status=None, code=None, retry_after=None, response=None):
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.code = code
        self.retry_after = retry_after  # seconds the other side asked us to wait, if any
        self.response = response


class TransientError(IntegrationError):
    """Timeout, connection failure, HTTP 5xx, rate limit: sending again later may succeed."""

    retryable = True


class BusinessError(IntegrationError):
    """The other side answered and refused: sending the same request again gives the same answer."""


def is_retryable_http_status(status):
    """5xx, 408 (request timeout) and 429 (too many requests) may pass later; other codes won't."""
    return bool(status) and (status >= 500 or status in (408, 429))


@dataclass(frozen=True)
class RetryPolicy:
    """An endpoint's retry budget and back-off. queue_job runs the retries: a transient failure is
    raised as ``RetryableJobError(seconds=policy.delay(...))``; this only decides how long to wait
    and when a message is dead."""

    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    base_delay: int = DEFAULT_BASE_DELAY
    max_delay: int = DEFAULT_MAX_DELAY
    factor: float = 2.0

    def delay(self, attempts, retry_after=None):
        """Seconds to wait after ``attempts`` failed attempts: base, 2×base, 4×base… capped at
        ``max_delay``, or longer when the other side asked us to wait longer (``retry_after``)."""
        attempts = max(int(attempts), 1)
        backoff = int(min(self.base_delay * self.factor ** (attempts - 1), self.max_delay))
        return max(backoff, math.ceil(retry_after or 0))

    def waits_too_long(self, next_attempt_at, answered_at, longest_wait=RECOVERY_WAIT):
        """Whether a message waiting until ``next_attempt_at`` goes at once now that its endpoint
        answered (at ``answered_at``): its back-off grew beyond ``longest_wait`` seconds while the
        system was down; shorter waits stay, so that a flapping system keeps its back-off."""
        return bool(next_attempt_at) and (next_attempt_at - answered_at).total_seconds() > longest_wait

    def state_after_failure(self, attempts, retryable):
        """``"failed"`` when failed attempt number ``attempts`` (1-based) may be retried, ``"dead"``
        when the error is not retryable or the attempts are used up."""
        return "failed" if retryable and attempts < self.max_attempts else "dead"


def redact(payload, secrets=()):
    """Copy of ``payload`` (dict, list, str…) without secrets: values of secret-looking keys become
    ``***`` and every occurrence of a known secret value inside strings is replaced too."""
    secrets = [s for s in secrets if s and len(str(s)) >= 4]

    def clean_str(text):
        for secret in secrets:
            text = text.replace(str(secret), REDACTED)
        return text

    def walk(value, key=None):
        if key is not None and SECRET_KEY_PATTERN.search(str(key)) and value not in (None, "", False):
            return REDACTED
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v) for v in value]
        if isinstance(value, str):
            return clean_str(value)
        return value

    return walk(payload)


def to_json(payload, secrets=()):
    """Redacted, human-readable JSON for the message's request/response fields."""
    if payload is None:
        return False
    return json.dumps(redact(payload, secrets), ensure_ascii=False, indent=1, sort_keys=True, default=str)


def failure_rate(total_attempts, failed_attempts):
    """Share of attempts (calls that reached the network) that failed, 0.0 when nothing was sent."""
    return (failed_attempts / total_attempts) if total_attempts else 0.0


@dataclass(frozen=True)
class RecoveryStats:
    count: int
    mean_hours: float
    max_hours: float
    within_target: int  # recoveries faster than the target

    @property
    def within_target_share(self):
        return (self.within_target / self.count) if self.count else 1.0


def recovery_stats(intervals, target_hours=2.0):
    """Time from a message's first failure to its success, over ``(first_failure_at, done_at)``
    pairs (datetimes); pairs without both ends are ignored."""
    hours = [(done - failed).total_seconds() / 3600 for failed, done in intervals if failed and done]
    if not hours:
        return RecoveryStats(0, 0.0, 0.0, 0)
    return RecoveryStats(
        count=len(hours),
        mean_hours=sum(hours) / len(hours),
        max_hours=max(hours),
        within_target=sum(1 for h in hours if h <= target_hours),
    )
