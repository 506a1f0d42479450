import json
import logging
import time
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.queue_job.exception import RetryableJobError

from ..tools import integration
from .wisdom_integration_endpoint import SYSTEMS

_logger = logging.getLogger(__name__)

JOB_CHANNEL = "root.wisdom_integration"  # + ".<system>": one queue_job channel per external system

STATES = [
    ("pending", "Pending"),
    ("running", "Running"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("dead", "Dead"),
]


class WisdomIntegrationMessage(models.Model):
    """One exchange with an external system (public model for integrators).

    Bridges add their operations by extending ``_wisdom_integration_handlers()``; callers use
    ``wisdom_enqueue()`` (asynchronous: a queue_job job on the system's channel, retried by queue_job
    after the endpoint's exponential back-off) or
    ``wisdom_send_now()`` (interactive, one attempt, still recorded).
    """

    _name = "wisdom.integration.message"
    _description = "Integration Message"
    _order = "id desc"

    endpoint_id = fields.Many2one(
        "wisdom.integration.endpoint", string="Endpoint", index=True, ondelete="restrict", readonly=True
    )
    system = fields.Selection(SYSTEMS, required=True, index=True, readonly=True)
    operation = fields.Char(required=True, index=True, readonly=True)
    direction = fields.Selection(
        [("outbound", "Outbound"), ("inbound", "Inbound")], default="outbound", required=True, readonly=True
    )
    interactive = fields.Boolean(readonly=True, help="Sent at once for a user waiting for the answer; not retried.")
    res_model = fields.Char(string="Related Model", index=True, readonly=True)
    res_id = fields.Many2oneReference(string="Related Record", model_field="res_model", index=True, readonly=True)
    idempotency_key = fields.Char(
        readonly=True,
        copy=False,
        help="The same business event: a message with this key for the same system and operation is sent once.",
    )
    request_payload = fields.Text(string="Request", readonly=True, help="Sent data, secrets removed.")
    response_payload = fields.Text(string="Response", readonly=True, help="Answer, secrets removed.")
    state = fields.Selection(STATES, default="pending", required=True, index=True, readonly=True)
    attempts = fields.Integer(readonly=True, help="Attempts since the message was created or retried by hand.")
    total_attempts = fields.Integer(string="Calls", readonly=True, help="Calls that went over the network.")
    failed_attempts = fields.Integer(string="Failed Calls", readonly=True)
    from_cache = fields.Boolean(
        string="Answered from Cache",
        readonly=True,
        help="The last attempt was answered without calling the other system.",
    )
    next_attempt_at = fields.Datetime(string="Next Attempt", readonly=True, index=True)
    last_attempt_at = fields.Datetime(string="Last Attempt", readonly=True, index=True)
    first_failure_at = fields.Datetime(string="First Failure", readonly=True)
    done_at = fields.Datetime(string="Done On", readonly=True, index=True)
    last_error = fields.Text(readonly=True)
    retries_exhausted = fields.Boolean(
        string="Dead While Down",
        readonly=True,
        help="Dead because its attempts ran out on failures that may pass (the other system was down or busy), "
        "not because the other system refused it.",
    )
    http_status = fields.Integer(string="HTTP Status", readonly=True)
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True, aggregator="avg")
    recovery_hours = fields.Float(
        string="Recovery (h)", readonly=True, aggregator="avg", help="Hours from the first failure to success."
    )

    _idempotency_unique = models.UniqueIndex(
        "(system, operation, idempotency_key) WHERE idempotency_key IS NOT NULL",
        "A message with this idempotency key already exists for this system and operation.",
    )

    @api.depends("system", "operation")
    def _compute_display_name(self):
        labels = dict(self._fields["system"]._description_selection(self.env))
        for message in self:
            message.display_name = f"{labels.get(message.system, '')} / {message.operation} #{message.id or ''}"

    # PUBLIC API

    @api.model
    def wisdom_enqueue(
        self, system, operation, payload, record=None, idempotency_key=None, direction="outbound", endpoint=None
    ):
        """Record a message and send it asynchronously through queue_job.

        A message with the same ``idempotency_key`` (for ``system`` + ``operation``) is returned as
        it is and not sent again: once done it never sends twice.
        """
        if idempotency_key:
            existing = self._wisdom_find(system, operation, idempotency_key)
            if existing:
                return existing
        message = self._wisdom_create(system, operation, payload, record, idempotency_key, direction, endpoint)
        if message.state == "pending":
            message._wisdom_schedule()
        return message

    @api.model
    def wisdom_send_now(self, system, operation, payload, record=None, idempotency_key=None, endpoint=None):
        """Send once, now, for a user waiting for the answer; the message is recorded whatever happens.

        Failures are not raised: read ``state``, ``last_error`` and ``wisdom_response()``.
        """
        if idempotency_key:
            existing = self._wisdom_find(system, operation, idempotency_key)
            if existing and existing.state == "done":
                return existing
        message = self._wisdom_create(
            system, operation, payload, record, idempotency_key, "outbound", endpoint, interactive=True
        )
        message._wisdom_attempt()
        return message

    def wisdom_payload(self):
        self.ensure_one()
        return json.loads(self.request_payload) if self.request_payload else {}

    def wisdom_response(self):
        self.ensure_one()
        return json.loads(self.response_payload) if self.response_payload else None

    def action_retry(self):
        """Integration admin: send failed or dead messages again with a fresh retry budget."""
        for message in self:
            if message.state not in ("failed", "dead"):
                raise UserError(
                    self.env._(
                        "Only failed or dead messages can be retried (%(message)s is %(state)s).",
                        message=message.display_name,
                        state=message.state,
                    )
                )
        self._wisdom_waiting_jobs().button_cancelled()
        self.write({"state": "pending", "attempts": 0, "next_attempt_at": False})
        for message in self:
            message._wisdom_schedule()
        return True

    def action_open_record(self):
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "target": "current",
        }

    # EXTENSION POINT

    @api.model
    def _wisdom_integration_handlers(self):
        """``{(system, operation): callable(message, payload) -> response}`` of every bridge.

        A handler sends ``payload`` (a dict without credentials: read them from
        ``message.endpoint_id.sudo()``), may set ``message.http_status`` and ``message.from_cache``,
        returns the answer (JSON-serialisable) and raises ``tools.integration.TransientError`` (retried)
        or ``BusinessError`` (dead at once). Extend with ``{**super()._wisdom_integration_handlers(), ...}``.
        """
        return {}

    def _wisdom_handler(self):
        self.ensure_one()
        handler = self._wisdom_integration_handlers().get((self.system, self.operation))
        if handler is None and self.operation == "test_connection":
            return lambda message, payload: message.endpoint_id._wisdom_http_test(message)
        return handler

    # QUEUE

    def _wisdom_job_identity(self):
        self.ensure_one()
        return f"{self._name},{self.id}"

    def _wisdom_schedule(self):
        """Queue the job that sends the message on the system's channel, retried up to the endpoint's
        maximum attempts (channels and the job function: ``data/wisdom_integration_data.xml``)."""
        self.ensure_one()
        self.with_delay(
            channel=f"{JOB_CHANNEL}.{self.system}",
            max_retries=self.endpoint_id.sudo().max_attempts,
            identity_key=self._wisdom_job_identity(),
            description=f"Send {self.display_name}",
            eta=self._wisdom_job_eta(),
        )._wisdom_job_send()

    def _wisdom_job_eta(self):
        """When the first attempt may start (None: at once). Bridges whose system limits the rate per
        recipient (WeCom: 30 messages per member and minute) return a later time."""
        self.ensure_one()
        return None

    def _wisdom_waiting_jobs(self):
        """Jobs of these messages that queue_job has not started yet (a postponed retry among them)."""
        return (
            self.env["queue.job"]
            .sudo()
            .search(
                [
                    ("identity_key", "in", [message._wisdom_job_identity() for message in self]),
                    ("state", "in", ("wait_dependencies", "pending", "enqueued")),
                ]
            )
        )

    def _wisdom_job_send(self):
        """queue_job entry point: one attempt.

        A transient failure is committed first, so that the attempt stays recorded (queue_job rolls
        the job's transaction back), then raised as ``RetryableJobError`` with the endpoint's
        back-off: queue_job performs the job again after that many seconds. Business errors and the
        last allowed attempt leave the message dead and end the job normally.
        """
        self.ensure_one()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL("SELECT id FROM wisdom_integration_message WHERE id = %s FOR UPDATE NOWAIT", self.id)
                )
        except psycopg2.errors.LockNotAvailable as error:
            # No attempt was made: the retry pattern of the job function decides when to try again.
            raise RetryableJobError("message being sent by another worker", ignore_retry=True) from error
        self.invalidate_recordset()
        if self.state in ("done", "dead"):
            return f"not sent: already {self.state}"
        delay = self._wisdom_attempt()
        summary = f"{self.state} after attempt {self.attempts}" + (f": {self.last_error}" if self.last_error else "")
        if delay is None:
            return summary
        if self.env.context.get("job_uuid"):
            # The job function allows commits (allow_commit): the job runs on its own cursor.
            self.env.cr.commit()  # pylint: disable=invalid-commit
        raise RetryableJobError(summary, seconds=delay)

    def _wisdom_job_failed(self, exc_name=None, exc_message=None, exc_info=None):
        """queue_job gave up on the job (an error outside the handlers, or its retries used up by
        restarts): the message is dead, so that the integration admin sees it and can retry it."""
        for message in self.filtered(lambda m: m.state not in ("done", "dead")):
            error = exc_message or exc_name or self.env._("The sending job failed.")
            message.write(
                {
                    "state": "dead",
                    "next_attempt_at": False,
                    "last_error": integration.redact(str(error), message.endpoint_id._wisdom_secrets()),
                }
            )
            _logger.warning("Integration message %s is dead: its job failed (%s)", message.id, exc_name)

    # SENDING

    @api.model
    def _wisdom_find(self, system, operation, idempotency_key):
        return self.search(
            [("system", "=", system), ("operation", "=", operation), ("idempotency_key", "=", idempotency_key)], limit=1
        )

    @api.model
    def _wisdom_create(
        self, system, operation, payload, record, idempotency_key, direction, endpoint, interactive=False
    ):
        endpoint = endpoint or self.env["wisdom.integration.endpoint"]._wisdom_get(system)
        vals = {
            "endpoint_id": endpoint.id,
            "system": system,
            "operation": operation,
            "direction": direction,
            "interactive": interactive,
            "res_model": record._name if record else False,
            "res_id": record.id if record else False,
            "idempotency_key": idempotency_key or False,
            "request_payload": integration.to_json(payload or {}, endpoint._wisdom_secrets()),
        }
        if not idempotency_key:
            return self.create(vals)
        try:
            with self.env.cr.savepoint():
                return self.create(vals)
        except psycopg2.errors.UniqueViolation:
            # Created meanwhile by a concurrent transaction: that one is the message.
            return self._wisdom_find(system, operation, idempotency_key)

    def _wisdom_attempt(self):
        """One attempt: call the handler and record the outcome.

        :return: seconds to wait before the next attempt when one is due (queued messages only),
            else ``None``
        """
        self.ensure_one()
        endpoint = self.endpoint_id.sudo()
        now = fields.Datetime.now()
        self.write(
            {
                "state": "running",
                "attempts": self.attempts + 1,
                "last_attempt_at": now,
                "from_cache": False,
                "http_status": 0,
            }
        )
        handler = self._wisdom_handler()
        started = time.monotonic()
        error = None
        try:
            if handler is None:
                raise integration.BusinessError(
                    self.env._(
                        "No handler for %(system)s / %(operation)s is installed.",
                        system=self.system,
                        operation=self.operation,
                    )
                )
            if not endpoint.active:
                raise integration.TransientError(self.env._("The endpoint %(name)s is archived.", name=endpoint.name))
            response = handler(self, self.wisdom_payload())
        except integration.IntegrationError as caught:
            error = caught
        except Exception as caught:  # noqa: BLE001 - a bridge bug must not lose the message
            _logger.exception("Integration handler of %s failed", self.display_name)
            error = integration.BusinessError(f"{type(caught).__name__}: {caught}")
        duration = int((time.monotonic() - started) * 1000)
        called = 0 if self.from_cache else 1
        secrets = endpoint._wisdom_secrets()
        vals = {"duration_ms": duration, "total_attempts": self.total_attempts + called}
        if error is None:
            vals.update(
                state="done",
                done_at=fields.Datetime.now(),
                next_attempt_at=False,
                last_error=False,
                retries_exhausted=False,
                response_payload=integration.to_json(response, secrets),
            )
            if self.first_failure_at:
                vals["recovery_hours"] = (vals["done_at"] - self.first_failure_at).total_seconds() / 3600
            self.write(vals)
            self._wisdom_notify_record(response)
            return None
        policy = endpoint._wisdom_policy()
        state = policy.state_after_failure(self.attempts, error.retryable)
        # An interactive message is not retried: the user sees the error and asks again.
        delay = policy.delay(self.attempts, error.retry_after) if state == "failed" and not self.interactive else None
        next_at = fields.Datetime.now() + timedelta(seconds=delay) if delay is not None else False
        text = integration.redact(str(error.message), secrets)
        vals.update(
            state=state,
            next_attempt_at=next_at,
            last_error=text,
            retries_exhausted=state == "dead" and error.retryable,
            failed_attempts=self.failed_attempts + called,
            first_failure_at=self.first_failure_at or now,
            response_payload=integration.to_json(error.response, secrets) if error.response is not None else False,
        )
        if error.http_status:
            vals["http_status"] = error.http_status
        self.write(vals)
        _logger.info("Integration message %s: attempt %s %s (%s)", self.id, self.attempts, state, text)
        return delay

    def _wisdom_notify_record(self, response):
        """Hand the answer to the related record's ``_wisdom_integration_done(message, response)``."""
        if not (self.res_model and self.res_id) or self.res_model not in self.env:
            return
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record or not hasattr(record, "_wisdom_integration_done"):
            return
        try:
            with self.env.cr.savepoint():
                record._wisdom_integration_done(self, response)
        except Exception as error:  # noqa: BLE001 - recorded for the admin, the exchange itself worked
            _logger.warning("Applying the answer of message %s failed: %s", self.id, error)
            self.write(
                {
                    "state": "dead",
                    "last_error": self.env._("The answer could not be applied: %(error)s", error=str(error)),
                }
            )
