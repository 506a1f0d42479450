import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# Systems of the demand's e-flow: a message that died while its system was down is sent again.
RESUME_SYSTEMS = ("plm", "sap", "mes", "oa")
BUSY_STATES = ("pending", "running", "failed")


class WisdomIntegrationMessage(models.Model):
    """Dead letters of a system that was down resume by themselves.

    queue_job retries a message with the endpoint's back-off until its attempts run out; a system down
    for longer left it dead until someone pressed Retry, and the demand's e-flow stood still. The resume
    cron sends such messages again (never those the system refused): first one of them per endpoint, as
    a probe; once the endpoint answered again (a message done after they died), all of them.
    """

    _inherit = "wisdom.integration.message"

    resumed_count = fields.Integer(
        string="Resumed", readonly=True, help="Times the resume cron sent this dead message again."
    )

    # CRUD METHODS

    def _wisdom_alert_dead(self):
        """The integration admins heard of a message the first time it died, not at every failed probe."""
        return super(WisdomIntegrationMessage, self.filtered(lambda m: not m.resumed_count))._wisdom_alert_dead()

    # CRON

    @api.model
    def _cron_wisdom_resume(self):
        """Send again the messages of the e-flow's systems that died while their system was down.

        :return: the messages sent again
        """
        Message = self.sudo()
        dead = Message.search(
            [
                ("state", "=", "dead"),
                ("retries_exhausted", "=", True),
                ("system", "in", RESUME_SYSTEMS),
                ("direction", "=", "outbound"),
                ("interactive", "=", False),
                ("endpoint_id.active", "=", True),
            ],
            order="id",
        )
        resumed = Message
        for endpoint, messages in dead.grouped("endpoint_id").items():
            batch = messages._wisdom_resume_batch(endpoint)
            if not batch:
                continue
            try:
                with self.env.cr.savepoint():
                    for message in batch:
                        message.resumed_count += 1
                    batch.action_retry()
                resumed |= batch
            except Exception:  # noqa: BLE001 - one endpoint must not stop the others
                _logger.exception("Resuming the dead messages of endpoint %s failed", endpoint.id)
        if resumed:
            _logger.info("Resumed %s dead integration messages: %s", len(resumed), resumed.ids)
        return resumed

    def _wisdom_resume_batch(self, endpoint):
        """Which of these dead messages of ``endpoint`` to send again now: none while another message of the
        endpoint is still being tried, all once the endpoint answered since they died, else one probe."""
        Message = self.sudo()
        if Message.search_count([("endpoint_id", "=", endpoint.id), ("state", "in", BUSY_STATES)], limit=1):
            return Message
        died = max(self.mapped("last_attempt_at"), default=False)
        answered = died and Message.search_count(
            [("endpoint_id", "=", endpoint.id), ("state", "=", "done"), ("done_at", ">=", died)], limit=1
        )
        return self if answered else self[:1]
