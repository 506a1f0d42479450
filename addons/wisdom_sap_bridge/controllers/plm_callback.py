import logging

from odoo import http
from odoo.http import request

from ..tools import plm, sap_inbound

_logger = logging.getLogger(__name__)


class PlmCallback(http.Controller):
    """PLM pushes the status of a material-code request as JSON with a bearer token (the PLM endpoint's
    *Callback Token*): ``POST /wisdom_plm/callback`` (README, "PLM").

    Answers: 200 applied (also for the same status pushed again: ``already_received``), 202 recorded but
    not applied (e.g. no item waits for that request id; the error is in the body), 400 unreadable body,
    401 bad or missing token."""

    @http.route("/wisdom_plm/callback", type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def plm_callback(self, **kwargs):
        token = sap_inbound.bearer_token(request.httprequest.headers.get("Authorization"))
        endpoint = request.env["wisdom.integration.endpoint"].sudo()._wisdom_inbound_endpoint("plm", token)
        if not endpoint:
            _logger.warning("PLM callback refused: bad or missing token")
            return request.make_json_response(
                {"error": "unauthorized", "message": "Missing or invalid bearer token."},
                headers=[("WWW-Authenticate", 'Bearer realm="wisdom_plm"')],
                status=401,
            )
        Message = request.env["wisdom.integration.message"].sudo()
        try:
            data = plm.load_json(request.httprequest.get_data())
            message, already = Message._wisdom_plm_receive(endpoint, data)
        except plm.PlmError as error:
            _logger.info("PLM callback refused: %s", error)
            return request.make_json_response({"error": "bad_request", "message": str(error)}, status=400)
        body = {
            "message_id": message.id,
            "state": message.state,
            "already_received": already,
            "result": message.wisdom_response(),
            "error": message.last_error or None,
        }
        return request.make_json_response(body, status=200 if message.state == "done" else 202)
