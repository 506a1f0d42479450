from odoo import http
from odoo.http import request

from .inbound import receive_push


class MesProgress(http.Controller):
    """MES pushes production progress as JSON with a bearer token (the MES endpoint's *Inbound Token*):
    ``POST /wisdom_mes/progress`` (README, "MES"); answers as ``receive_push``."""

    @http.route("/wisdom_mes/progress", type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def mes_progress(self, **kwargs):
        return receive_push("mes", request.env["wisdom.integration.message"].sudo()._wisdom_mes_receive)
