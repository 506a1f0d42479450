from odoo import fields, models


class WisdomIntegrationMessage(models.Model):
    """When an endpoint answers again, its messages in a long back-off go at once.

    After an outage the back-off of the messages that waited has grown to up to an hour: without this
    the last of them was sent up to an hour after the system came back (the e-flow soak: 118.7
    minutes for SAP down 10 minutes).
    """

    _inherit = "wisdom.integration.message"

    def _wisdom_attempt(self):
        delay = super()._wisdom_attempt()
        if delay is None and self.state == "done" and not self.from_cache:
            self._wisdom_bring_forward()
        return delay

    def _wisdom_bring_forward(self):
        """The endpoint of this message answered: its other messages that wait longer than
        ``tools.integration.RECOVERY_WAIT`` for their next attempt go now (their waiting job too).

        :return: the messages brought forward
        """
        now = fields.Datetime.now()
        policy = self.endpoint_id.sudo()._wisdom_policy()
        waiting = (
            self.sudo()
            .search(
                [
                    ("endpoint_id", "=", self.endpoint_id.id),
                    ("state", "=", "failed"),
                    ("interactive", "=", False),
                    ("id", "!=", self.id),
                ]
            )
            .filtered(lambda message: policy.waits_too_long(message.next_attempt_at, now))
        )
        if waiting:
            waiting._wisdom_waiting_jobs().filtered(lambda job: job.state == "pending").write({"eta": now})
            waiting.write({"next_attempt_at": now})
        return waiting
