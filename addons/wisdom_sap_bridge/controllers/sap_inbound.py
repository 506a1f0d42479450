from odoo import http
from odoo.http import request

from .inbound import receive_push


class SapInbound(http.Controller):
    """SAP (PI/PO, CPI or an ABAP HTTP client) pushes documents as plain JSON with a bearer token (the SAP
    endpoint's *Inbound Token*): ``POST /wisdom_sap/inbound/receipt``, ``/wisdom_sap/inbound/delivery`` and
    ``/wisdom_sap/inbound/production`` (README, "SAP inbound"); answers as ``receive_push``."""

    @http.route(
        "/wisdom_sap/inbound/<any(receipt,delivery,production):operation>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def sap_inbound(self, operation, **kwargs):
        Message = request.env["wisdom.integration.message"].sudo()
        return receive_push(
            "sap",
            lambda endpoint, data: Message._wisdom_sap_receive(endpoint, operation, data),
            lambda message, already: message._wisdom_sap_inbound_answer(already),
        )
