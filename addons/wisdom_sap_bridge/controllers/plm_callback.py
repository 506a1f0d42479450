from odoo import http
from odoo.http import request

from .inbound import receive_push


class PlmCallback(http.Controller):
    """PLM pushes the status of a material-code request as JSON with a bearer token (the PLM endpoint's
    *Inbound Token*): ``POST /wisdom_plm/callback`` (README, "PLM"); answers as ``receive_push``."""

    @http.route("/wisdom_plm/callback", type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def plm_callback(self, **kwargs):
        return receive_push("plm", request.env["wisdom.integration.message"].sudo()._wisdom_plm_receive)
