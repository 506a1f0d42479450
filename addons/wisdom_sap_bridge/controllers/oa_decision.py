from odoo import http
from odoo.http import request

from .inbound import receive_push


class OaDecision(http.Controller):
    """OA pushes its decision on a contract's tier review as JSON with a bearer token (the OA endpoint's
    *Inbound Token*), signed with the endpoint's *Signing Secret*: ``POST /wisdom_oa/decision`` (README,
    "OA"). Answers 200 applied or the same decision again, 400 unreadable, 401 bad token or signature, 404
    no such review, 409 conflict (``code`` in the body)."""

    @http.route("/wisdom_oa/decision", type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def oa_decision(self, **kwargs):
        Message = request.env["wisdom.integration.message"].sudo()
        return receive_push(
            "oa",
            Message._wisdom_oa_receive,
            lambda message, already: message._wisdom_oa_decision_answer(already),
            signed=True,
        )
