import logging

from odoo.http import request

from ..tools import inbound, mes, plm

_logger = logging.getLogger(__name__)

# a body the CRM cannot read as the document it claims to be: HTTP 400, nothing recorded
UNREADABLE = (inbound.InboundError, plm.PlmError, mes.MesError)


def receive_push(system, receive, answer=None):
    """One pushed document of ``system`` (sap, plm, mes): the bearer token must be the *Inbound Token* of
    an active endpoint of that system (constant-time), the body a JSON object; ``receive(endpoint,
    data)`` records it as an inbound integration message and applies it: ``(message, already)``, no
    message when the same document is being received by another request right now.

    Answers: 200 applied (also for a document pushed again: ``already_received``), 202 recorded but
    not applied (the error is in the body; the integration admin fixes and retries it, the system need
    not push again), 400 unreadable body, 401 bad or missing token, 409 being received right now.
    """
    token = inbound.bearer_token(request.httprequest.headers.get("Authorization"))
    endpoint = request.env["wisdom.integration.endpoint"].sudo()._wisdom_inbound_endpoint(system, token)
    if not endpoint:
        _logger.warning("%s push refused: bad or missing token", system)
        return request.make_json_response(
            {"error": "unauthorized", "message": "Missing or invalid bearer token."},
            headers=[("WWW-Authenticate", f'Bearer realm="wisdom_{system}"')],
            status=401,
        )
    try:
        message, already = receive(endpoint, inbound.load(request.httprequest.get_data()))
    except UNREADABLE as error:
        _logger.info("%s push refused: %s", system, error)
        return request.make_json_response({"error": "bad_request", "message": str(error)}, status=400)
    if not message:
        return request.make_json_response(
            {"error": "in_progress", "message": "The same document is being received; push it again later."},
            status=409,
        )
    if answer:
        body = answer(message, already)
    else:
        body = {
            "message_id": message.id,
            "state": message.state,
            "already_received": already,
            "result": message.wisdom_response(),
            "error": message.last_error or None,
        }
    _logger.info("%s push %s: %s%s", system, message.operation, message.state, " (again)" * already)
    return request.make_json_response(body, status=200 if message.state == "done" else 202)
