import logging

from odoo import http
from odoo.http import request

from ..tools import mes, plm, sap_inbound

_logger = logging.getLogger(__name__)


class MesProgress(http.Controller):
    """MES pushes production progress as JSON with a bearer token (the MES endpoint's *Callback Token*):
    ``POST /wisdom_mes/progress`` (README, "MES").

    Answers: 200 applied (also for the same report pushed again), 202 recorded but not applied (e.g. no
    contract has that MES order; the error is in the body), 400 unreadable body, 401 bad or missing token."""

    @http.route("/wisdom_mes/progress", type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def mes_progress(self, **kwargs):
        token = sap_inbound.bearer_token(request.httprequest.headers.get("Authorization"))
        endpoint = request.env["wisdom.integration.endpoint"].sudo()._wisdom_inbound_endpoint("mes", token)
        if not endpoint:
            _logger.warning("MES progress refused: bad or missing token")
            return request.make_json_response(
                {"error": "unauthorized", "message": "Missing or invalid bearer token."},
                headers=[("WWW-Authenticate", 'Bearer realm="wisdom_mes"')],
                status=401,
            )
        Message = request.env["wisdom.integration.message"].sudo()
        try:
            data = plm.load_json(request.httprequest.get_data())
            message, already = Message._wisdom_mes_receive(endpoint, data)
        except (mes.MesError, plm.PlmError) as error:
            _logger.info("MES progress refused: %s", error)
            return request.make_json_response({"error": "bad_request", "message": str(error)}, status=400)
        body = {
            "message_id": message.id,
            "state": message.state,
            "already_received": already,
            "result": message.wisdom_response(),
            "error": message.last_error or None,
        }
        return request.make_json_response(body, status=200 if message.state == "done" else 202)
