from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import wecom

# Refresh this long before WeCom's expiry, so that no message goes out with a token about to expire.
REFRESH_MARGIN = timedelta(minutes=5)


class WisdomWecomToken(models.Model):
    """The WeCom access token of one endpoint (application), shared by every worker.

    WeCom limits token fetches (45009) and invalidates older tokens: one row per endpoint, locked
    while it is refreshed, never a token per process or per call."""

    _name = "wisdom.wecom.token"
    _description = "WeCom Access Token"

    endpoint_id = fields.Many2one("wisdom.integration.endpoint", required=True, ondelete="cascade", index=True)
    access_token = fields.Char(required=True)
    expires_at = fields.Datetime(string="Expires On", required=True)
    fetch_count = fields.Integer(string="Fetched", default=0, help="Tokens fetched for this endpoint so far.")

    _endpoint_unique = models.UniqueIndex("(endpoint_id)", "One cached token per WeCom endpoint.")

    @api.model
    def _wisdom_token(self, endpoint, client, rejected=None):
        """A valid token of ``endpoint``: the cached one, or a new one fetched with ``client`` when
        the cached one expires within the margin or is ``rejected`` (refused by WeCom just now).

        The row is locked while deciding, so that workers refreshing at the same time fetch once:
        the second finds the first one's new token."""
        tokens = self.sudo()
        tokens.env.execute_query(
            SQL("SELECT id FROM wisdom_wecom_token WHERE endpoint_id = %s FOR UPDATE", endpoint.id)
        )
        row = tokens.search([("endpoint_id", "=", endpoint.id)], limit=1)
        row.invalidate_recordset()
        now = fields.Datetime.now()
        if row and row.expires_at > now + REFRESH_MARGIN and row.access_token != rejected:
            return row.access_token
        fresh = client.fetch_token()
        vals = {
            "access_token": fresh.value,
            "expires_at": now + timedelta(seconds=fresh.expires_in),
            "fetch_count": row.fetch_count + 1,
        }
        if row:
            row.write(vals)
        else:
            tokens.create({"endpoint_id": endpoint.id, **vals})
        return fresh.value

    @api.model
    def _wisdom_send(self, endpoint, client, message):
        """Send ``message`` with the cached token; on 40014/42001 refresh the token once and send again.

        The new token refused as well is not refreshed a third time (WeCom limits the fetches): the message
        is sent again after the back-off (``WeComUnavailable``), never given up on its first attempt."""
        token = self._wisdom_token(endpoint, client)
        try:
            return client.send(token, message)
        except wecom.TokenRejected:
            fresh = self._wisdom_token(endpoint, client, rejected=token)
        try:
            return client.send(fresh, message)
        except wecom.TokenRejected as error:
            raise wecom.WeComUnavailable(error.message, code=error.code, http_status=error.http_status) from error
