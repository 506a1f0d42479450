import json
import logging

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)


class EinvoiceCallback(http.Controller):
    @http.route(
        "/wisdom_einvoice/nuonuo/callback", type="http", auth="public", methods=["POST"], csrf=False, save_session=False
    )
    def nuonuo_callback(self, content="", **kwargs):
        """Nuonuo posts ``content`` when an invoice is done or failed. It is not signed, so it is only a
        trigger: the request is queried from the provider by its order number, nothing is taken from it."""
        try:
            data = json.loads(content or "{}")
        except ValueError:
            data = {}
        order_no = str(data.get("orderNo") or data.get("c_orderno") or "")[:20]
        queued = False
        if order_no:
            invoice_request = (
                request.env["wisdom.invoice.request"]
                .sudo()
                .search([("provider_order_no", "=", order_no), ("state", "=", "issuing")], limit=1)
            )
            if invoice_request:
                queued = bool(invoice_request._wisdom_enqueue_query())
        _logger.info("Nuonuo callback for order %s: %s", order_no or "?", "query queued" if queued else "ignored")
        return request.make_json_response({"status": "0000", "message": "success"})
