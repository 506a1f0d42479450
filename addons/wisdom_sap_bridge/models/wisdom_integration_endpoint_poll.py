import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import sap_inbound, sap_poll

_logger = logging.getLogger(__name__)

POLLED_SYSTEMS = ("sap", "mes")
OPEN_STATES = ("pending", "running", "failed")


class WisdomIntegrationEndpoint(models.Model):
    """Polling the systems that push to the CRM for what they did not push: SAP's receipts, goods issues and
    production orders, MES's progress. One queued message per poll (retried with the endpoint's back-off,
    dead on the dashboard when it cannot be done); the watermark advances only with a page that was read
    and fed through the same booking as a push."""

    _inherit = "wisdom.integration.endpoint"

    poll_interval = fields.Integer(
        string="Poll Every (min)",
        default=0,
        tracking=True,
        help="SAP and MES: ask the system every so many minutes for the documents changed since the last "
        "successful poll (0: no polling, the system pushes). A document both pushed and polled is booked once.",
    )
    poll_page_size = fields.Integer(
        string="Poll Page Size",
        default=sap_poll.DEFAULT_PAGE_SIZE,
        help="Documents asked for per call; a poll reads pages until the system has no more.",
    )
    poll_watermark = fields.Char(
        string="Changed Since",
        copy=False,
        help="Where the next poll starts: the newest change of the last page read (SAP: UTC timestamp "
        "YYYYMMDDhhmmss; MES: its own value). Empty: from the start. A failed poll leaves it.",
    )
    poll_last_at = fields.Datetime(string="Last Poll Queued", readonly=True, copy=False)
    poll_message_id = fields.Many2one(
        "wisdom.integration.message", string="Last Poll", readonly=True, copy=False, index="btree_not_null"
    )

    _poll_values = models.Constraint(
        "CHECK (poll_interval >= 0 AND (poll_page_size IS NULL OR poll_page_size > 0))",
        "The poll interval must not be negative, the page size positive.",
    )

    # CONSTRAINT METHODS

    @api.constrains("poll_watermark", "system")
    def _check_poll_watermark(self):
        for endpoint in self.filtered(lambda e: e.system == "sap" and e.poll_watermark):
            try:
                sap_poll.check_watermark(endpoint.poll_watermark)
            except sap_inbound.InboundError as error:
                raise ValidationError(
                    self.env._("The SAP watermark must be a UTC timestamp YYYYMMDDhhmmss.")
                ) from error

    # ACTION METHODS

    def action_wisdom_poll_now(self):
        """Queue a poll now (integration admin), whatever the interval."""
        for endpoint in self:
            endpoint._wisdom_poll_queue()
        return True

    # BUSINESS METHODS

    @api.model
    def _cron_wisdom_poll(self):
        """Queue a poll of every active SAP or MES endpoint whose interval has passed and whose previous poll
        is finished (a failed one is retried by its own job first)."""
        now = fields.Datetime.now()
        endpoints = self.sudo().search([("system", "in", POLLED_SYSTEMS), ("poll_interval", ">", 0)])
        for endpoint in endpoints:
            due = not endpoint.poll_last_at or endpoint.poll_last_at + timedelta(minutes=endpoint.poll_interval) <= now
            if not due:
                continue
            try:
                with self.env.cr.savepoint():
                    endpoint._wisdom_poll_queue()
            except Exception:  # noqa: BLE001 - one endpoint must not stop the others
                _logger.exception("Queuing the poll of %s failed", endpoint.name)
        return True

    def _wisdom_poll_queue(self):
        """The queued poll message of this endpoint (the open one when a poll is still under way)."""
        self.ensure_one()
        endpoint = self.sudo()
        Message = self.env["wisdom.integration.message"].sudo()
        open_poll = Message.search(
            [("endpoint_id", "=", endpoint.id), ("operation", "=", "poll"), ("state", "in", OPEN_STATES)], limit=1
        )
        if open_poll:
            return open_poll
        message = Message.wisdom_enqueue(
            endpoint.system,
            "poll",
            {"since": endpoint.poll_watermark or ""},
            record=endpoint,
            direction="inbound",
            endpoint=endpoint,
        )
        endpoint.write({"poll_last_at": fields.Datetime.now(), "poll_message_id": message.id})
        return message
