import logging
import time

from odoo.http import request

from ..tools import inbound, mes, oa, plm

_logger = logging.getLogger(__name__)

# a body the CRM cannot read as the document it claims to be: HTTP 400, nothing recorded
UNREADABLE = (inbound.InboundError, plm.PlmError, mes.MesError, oa.OaError)


def receive_push(system, receive, answer=None, signed=False):
    """One pushed document of ``system`` (sap, plm, mes, oa): the bearer token must be the *Inbound Token*
    of an active endpoint of that system (constant-time), the request signed with the endpoint's *Signing
    Secret* when it has one (always when ``signed``: README, "Signed pushes"), the body a JSON object;
    ``receive(endpoint, data)`` records it as an inbound integration message and applies it: ``(message,
    already)``, no message when the same document is being received by another request right now.

    Answers: 200 applied (also for a document pushed again: ``already_received``), 202 recorded but
    not applied (the error is in the body; the integration admin fixes and retries it, the system need
    not push again), 400 unreadable body, 401 bad or missing token or signature, 409 being received right
    now. ``answer(message, already)`` may word the body, or return ``(body, status)``.
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
    raw = request.httprequest.get_data()
    refused = _signature_refused(endpoint, raw, signed)
    if refused:
        _logger.warning("%s push refused: %s", system, refused)
        return request.make_json_response({"error": "bad_signature", "message": refused}, status=401)
    try:
        message, already = receive(endpoint, inbound.load(raw))
    except UNREADABLE as error:
        _logger.info("%s push refused: %s", system, error)
        return request.make_json_response({"error": "bad_request", "message": str(error)}, status=400)
    if not message:
        return request.make_json_response(
            {"error": "in_progress", "message": "The same document is being received; push it again later."},
            status=409,
        )
    status = 200 if message.state == "done" else 202
    if answer:
        body = answer(message, already)
        if isinstance(body, tuple):
            body, status = body
    else:
        body = {
            "message_id": message.id,
            "state": message.state,
            "already_received": already,
            "result": message.wisdom_response(),
            "error": message.last_error or None,
        }
    _logger.info("%s push %s: %s%s", system, message.operation, message.state, " (again)" * already)
    return request.make_json_response(body, status=status)


def _signature_refused(endpoint, raw, signed):
    """Why the request's signature is refused ("" when it is accepted or not asked for)."""
    secret = endpoint.sudo().inbound_signing_secret
    if not secret:
        return "This endpoint accepts signed requests only; its Signing Secret is not set." if signed else ""
    headers = request.httprequest.headers
    try:
        inbound.check_signature(
            secret, headers.get(inbound.SIGNATURE_HEADER), headers.get(inbound.TIMESTAMP_HEADER), raw, time.time()
        )
    except inbound.SignatureError as error:
        return str(error)
    return ""
