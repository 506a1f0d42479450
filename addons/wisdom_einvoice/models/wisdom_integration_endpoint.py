from datetime import UTC, datetime

from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.wisdom_crm_base.models.res_users import GROUP_INTEGRATION_ADMIN

from ..tools import baiwang, nuonuo

PROVIDERS = [("nuonuo", "Nuonuo"), ("baiwang", "Baiwang")]


class DbTokenStore:
    """The provider's access token kept on the endpoint, shared by every worker (Nuonuo's may be
    fetched only about 50 times in 30 days). Renewing locks the endpoint row, so that two workers do not both
    fetch one; the second reads what the first stored."""

    def __init__(self, endpoint):
        self.endpoint = endpoint.sudo()

    def get(self):
        return self.endpoint.einvoice_access_token or "", self.endpoint.einvoice_token_expires or 0.0

    def set(self, token, expires_at):
        self.endpoint.env.execute_query(
            SQL("SELECT id FROM wisdom_integration_endpoint WHERE id = %s FOR UPDATE", self.endpoint.id)
        )
        self.endpoint.write({"einvoice_access_token": token, "einvoice_token_expires": expires_at})


class WisdomIntegrationEndpoint(models.Model):
    _inherit = "wisdom.integration.endpoint"

    einvoice_provider = fields.Selection(PROVIDERS, string="E-invoice Provider", default="nuonuo")
    einvoice_token_url = fields.Char(
        string="Token URL",
        default=nuonuo.DEFAULT_TOKEN_URL,
        help="Where Nuonuo hands out access tokens (open.nuonuo.com/accessToken).",
    )
    einvoice_user_tax = fields.Char(string="ISV User Tax ID", help="Only for ISV apps: the seller's tax id.")
    einvoice_password_salt = fields.Char(
        string="Password Salt",
        groups=GROUP_INTEGRATION_ADMIN,
        copy=False,
        exportable=False,
        help="Baiwang: the salt given with the user account; the password is sent digested with it.",
    )
    einvoice_access_token = fields.Char(
        string="Access Token", groups=GROUP_INTEGRATION_ADMIN, copy=False, exportable=False, readonly=True
    )
    einvoice_token_expires = fields.Float(
        string="Token Expires (epoch s)", groups=GROUP_INTEGRATION_ADMIN, copy=False, readonly=True
    )
    einvoice_token_expiry = fields.Datetime(string="Token Valid Until", compute="_compute_einvoice_token_expiry")

    def _compute_einvoice_token_expiry(self):
        for endpoint in self:
            expires = endpoint.sudo().einvoice_token_expires
            endpoint.einvoice_token_expiry = (
                datetime.fromtimestamp(expires, tz=UTC).replace(tzinfo=None) if expires else False
            )

    def write(self, vals):
        """Another provider: forget the stored token, so that one provider's token is never sent to another."""
        switched = self.filtered(
            lambda e: "einvoice_provider" in vals and e.einvoice_provider != vals["einvoice_provider"]
        )
        result = super().write(vals)
        if switched:
            switched.sudo().write({"einvoice_access_token": False, "einvoice_token_expires": 0.0})
        return result

    def _wisdom_secrets(self):
        endpoint = self.sudo()
        extra = [value for value in (endpoint.einvoice_access_token, endpoint.einvoice_password_salt) if value]
        return super()._wisdom_secrets() + extra

    def _wisdom_einvoice_client(self, seller_tax_id, session=None):
        """The provider adapter of this endpoint (credentials read with sudo, never sent to the user)."""
        self.ensure_one()
        endpoint = self.sudo()
        if endpoint.einvoice_provider == "baiwang":
            return baiwang.BaiwangClient(
                endpoint.api_key or "",
                endpoint.api_secret or "",
                seller_tax_id,
                username=endpoint.username or "",
                password=endpoint.password or "",
                salt=endpoint.einvoice_password_salt or "",
                session=session,
                base_url=endpoint.base_url,
                timeout=endpoint.timeout,
                token_store=DbTokenStore(endpoint),
            )
        return nuonuo.NuonuoClient(
            endpoint.api_key or "",
            endpoint.api_secret or "",
            seller_tax_id,
            session=session,
            base_url=endpoint.base_url,
            token_url=endpoint.einvoice_token_url,
            timeout=endpoint.timeout,
            token_store=DbTokenStore(endpoint),
            user_tax=endpoint.einvoice_user_tax or "",
        )
