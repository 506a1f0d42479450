import hmac

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.wisdom_crm_base.models.res_users import GROUP_INTEGRATION_ADMIN


class WisdomIntegrationEndpoint(models.Model):
    _inherit = "wisdom.integration.endpoint"

    wecom_agent_id = fields.Char(
        string="WeCom AgentId",
        groups=GROUP_INTEGRATION_ADMIN,
        help="AgentId of the WeCom application that sends the notifications (the Key is the CorpID, "
        "the Secret the application's secret).",
    )
    sap_inbound_token = fields.Char(
        string="SAP Inbound Token",
        groups=GROUP_INTEGRATION_ADMIN,
        copy=False,
        exportable=False,
        help="The bearer token SAP sends (Authorization: Bearer <token>) when it pushes receipts and deliveries "
        "to /wisdom_sap/inbound/receipt and /wisdom_sap/inbound/delivery. Empty: SAP cannot push anything. "
        "Use a long random value (e.g. openssl rand -hex 32).",
    )

    # CRUD METHODS

    def export_data(self, fields_to_export):
        """The inbound token never leaves through an export, like the core's credentials."""
        refused = [f for f in fields_to_export if f.replace("/", ".").split(".")[0] == "sap_inbound_token"]
        if refused:
            raise UserError(self.env._("Credentials cannot be exported: %(fields)s", fields=", ".join(refused)))
        return super().export_data(fields_to_export)

    # BUSINESS METHODS

    def _wisdom_secrets(self):
        secrets = super()._wisdom_secrets()
        token = self.sudo().sap_inbound_token
        return [*secrets, token] if token else secrets

    def _wisdom_sap_inbound_endpoint(self, token):
        """The active SAP endpoint whose inbound token is ``token`` (compared in constant time), or none."""
        for endpoint in self.sudo().search([("system", "=", "sap"), ("sap_inbound_token", "!=", False)]):
            if token and hmac.compare_digest(endpoint.sap_inbound_token.encode(), token.encode()):
                return endpoint
        return self.browse()
