import logging

from odoo import http
from odoo.http import request

from ..tools import sap_inbound

_logger = logging.getLogger(__name__)


class SapInbound(http.Controller):
    """SAP (PI/PO, CPI or an ABAP HTTP client) pushes documents as plain JSON with a bearer token:
    ``POST /wisdom_sap/inbound/receipt`` and ``/wisdom_sap/inbound/delivery`` (README, "SAP inbound").

    Answers: 200 booked (also for the same document pushed again: ``already_received``), 202 recorded
    but not booked (the error is in the body; the CRM's integration admin fixes and retries it, SAP
    need not push again), 400 unreadable body, 401 bad or missing token, 409 the same document is
    being received by another request at this moment."""

    @http.route(
        "/wisdom_sap/inbound/<any(receipt,delivery):operation>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def sap_inbound(self, operation, **kwargs):
        token = sap_inbound.bearer_token(request.httprequest.headers.get("Authorization"))
        endpoint = request.env["wisdom.integration.endpoint"].sudo()._wisdom_sap_inbound_endpoint(token)
        if not endpoint:
            _logger.warning("SAP inbound %s refused: bad or missing token", operation)
            return self._answer(
                401,
                {"error": "unauthorized", "message": "Missing or invalid bearer token."},
                headers=[("WWW-Authenticate", 'Bearer realm="wisdom_sap"')],
            )
        Message = request.env["wisdom.integration.message"].sudo()
        try:
            data = sap_inbound.load(request.httprequest.get_data())
            message, already = Message._wisdom_sap_receive(endpoint, operation, data)
        except sap_inbound.InboundError as error:
            _logger.info("SAP inbound %s refused: %s", operation, error)
            return self._answer(400, {"error": "bad_request", "message": str(error)})
        if not message:
            return self._answer(
                409,
                {"error": "in_progress", "message": "The same document is being received; push it again later."},
            )
        answer = message._wisdom_sap_inbound_answer(already)
        _logger.info("SAP inbound %s %s: %s%s", operation, answer["document"], message.state, " (again)" * already)
        return self._answer(200 if message.state == "done" else 202, answer)

    def _answer(self, status, body, headers=None):
        return request.make_json_response(body, headers=headers, status=status)
