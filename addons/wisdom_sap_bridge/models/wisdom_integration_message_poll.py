import hashlib
import json
from urllib.parse import urlencode

from odoo import api, models

from odoo.addons.wisdom_crm_base.tools import integration

from ..tools import mes, sap, sap_inbound, sap_poll

MAX_PAGES = 50  # pages read by one poll; the next poll goes on from the watermark


class WisdomIntegrationMessage(models.Model):
    """``sap`` / ``poll`` and ``mes`` / ``poll``: one poll of the system for the documents it changed since the
    endpoint's watermark (``wisdom_integration_endpoint_poll.py``). Each document found is received exactly as
    if it had been pushed (its own inbound message, same idempotency key), and the watermark advances after
    each page: a failure leaves the watermark at the last page read, and the poll is retried with the
    endpoint's back-off, dead on the dashboard when its attempts run out."""

    _inherit = "wisdom.integration.message"

    # EXTENSION POINT

    @api.model
    def _wisdom_integration_handlers(self):
        return {
            **super()._wisdom_integration_handlers(),
            ("sap", "poll"): self._wisdom_sap_poll,
            ("mes", "poll"): self._wisdom_mes_poll,
        }

    # HANDLERS

    def _wisdom_sap_poll(self, message, payload):
        """Read the pages of the SAP function ``changes_get`` after the watermark and receive their receipts,
        deliveries and production orders as pushed documents."""
        endpoint = message.endpoint_id.sudo()
        function = self._wisdom_sap_function("changes_get", self.env.company)
        mapping = function._wisdom_mapping()
        names = sap_poll.names_from(mapping.field_map)
        try:
            push_keys = endpoint._wisdom_sap_inbound_config()
        except sap_inbound.InboundError as error:
            raise integration.BusinessError(str(error)) from error
        summary = self._wisdom_poll_summary(endpoint)
        for __ in range(MAX_PAGES):
            request = sap_poll.build_request(endpoint.poll_watermark or "", endpoint.poll_page_size, names)
            message.request_payload = integration.to_json(
                {**payload, "sap_function": function.function_name, "sap_request": request},
                endpoint._wisdom_secrets(),
            )
            reply = self._wisdom_sap_call(message, function, request)
            errors = [m for m in sap.return_messages(reply, mapping) if mapping.status_map.get(m.type) == "error"]
            if errors:
                raise integration.BusinessError(
                    self.env._("SAP refused the poll: %(messages)s", messages="; ".join(str(m) for m in errors)),
                    http_status=200,
                    code="BAPIRET2",
                    response=reply,
                )
            try:
                page = sap_poll.read_page(reply, names, push_keys)
            except sap_inbound.InboundError as error:
                raise integration.BusinessError(str(error), response=reply) from error
            for operation, body in page.documents:
                self._wisdom_poll_feed(summary, endpoint, operation, body)
            if not self._wisdom_poll_advance(summary, endpoint, page):
                break
        return summary

    def _wisdom_mes_poll(self, message, payload):
        """GET MES's progress reports changed since the watermark (paths and keys: the MES endpoint's REST
        mapping) and receive each as a pushed report."""
        endpoint, config = self._wisdom_mes_config(message)
        summary = self._wisdom_poll_summary(endpoint)
        for __ in range(MAX_PAGES):
            since = endpoint.poll_watermark or ""
            query = f"?{urlencode({config['progress_since_param']: since})}" if since else ""
            url = endpoint.base_url.rstrip("/") + config["progress_path"] + query
            message.request_payload = integration.to_json({**payload, "url": url}, endpoint._wisdom_secrets())
            answer = self._wisdom_rest_call(message, "MES", "GET", url, config)
            if answer.status != 200:
                raise integration.BusinessError(
                    self.env._("MES refused the progress poll (HTTP %(status)s).", status=answer.status),
                    http_status=answer.status,
                    response=answer.body,
                )
            try:
                page = mes.read_progress_page(answer.body, config)
            except mes.MesError as error:
                raise integration.BusinessError(str(error), response=answer.body) from error
            for report in page.reports:
                self._wisdom_poll_feed(summary, endpoint, "progress", report)
            if not self._wisdom_poll_advance(summary, endpoint, page):
                break
        return summary

    # BUSINESS METHODS

    @api.model
    def _wisdom_poll_summary(self, endpoint):
        return {
            "since": endpoint.poll_watermark or "",
            "watermark": endpoint.poll_watermark or "",
            "pages": 0,
            "received": 0,
            "already_received": 0,
            "not_booked": [],
        }

    @api.model
    def _wisdom_poll_advance(self, summary, endpoint, page):
        """Count the page read and move the watermark past it: whether another page follows."""
        summary["pages"] += 1
        if page.next_since:
            endpoint.poll_watermark = page.next_since
            summary["watermark"] = page.next_since
        return page.more and bool(page.next_since)

    @api.model
    def _wisdom_poll_feed(self, summary, endpoint, operation, body):
        """Receive one polled document as a push of it (the same document pushed already: nothing booked)."""
        message, already = self._wisdom_poll_receive(endpoint, operation, body)
        summary["already_received" if already else "received"] += 1
        if message.state != "done":
            summary["not_booked"].append(
                {
                    "operation": operation,
                    "document": message.idempotency_key,
                    "message_id": message.id,
                    "state": message.state,
                    "error": message.last_error or None,
                }
            )
        return message

    @api.model
    def _wisdom_poll_receive(self, endpoint, operation, body):
        try:
            if endpoint.system == "sap":
                return self._wisdom_sap_receive(endpoint, operation, body)
            return self._wisdom_mes_receive(endpoint, body)
        except (sap_inbound.InboundError, mes.MesError):
            # A push like this is refused with HTTP 400; a polled one is kept dead with its reason, so that
            # the integration admin sees it (the handler reads it again and fails the same way).
            digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:32]
            key = f"unreadable:{digest}"
            existing = self._wisdom_find(endpoint.system, operation, key)
            if existing:
                return existing, True
            message = self._wisdom_create(endpoint.system, operation, body, None, key, "inbound", endpoint)
            message._wisdom_attempt()
            return message, False
