import hmac

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.wisdom_crm_base.models.res_users import GROUP_INTEGRATION_ADMIN

from ..tools import mes, oa, plm, sap_inbound

REST_CONFIGS = {
    "sap": (sap_inbound.load_config, sap_inbound.InboundError),
    "plm": (plm.load_config, plm.PlmError),
    "mes": (mes.load_config, mes.MesError),
    "oa": (oa.load_config, oa.OaError),
}
INBOUND_CREDENTIALS = ("inbound_token", "inbound_signing_secret")


class WisdomIntegrationEndpoint(models.Model):
    _inherit = "wisdom.integration.endpoint"

    wecom_agent_id = fields.Char(
        string="WeCom AgentId",
        groups=GROUP_INTEGRATION_ADMIN,
        help="AgentId of the WeCom application that sends the notifications (the Key is the CorpID, "
        "the Secret the application's secret).",
    )
    inbound_token = fields.Char(
        string="Inbound Token",
        groups=GROUP_INTEGRATION_ADMIN,
        copy=False,
        exportable=False,
        help="The bearer token the system sends (Authorization: Bearer <token>) when it pushes to the CRM: SAP "
        "receipts, deliveries and production orders to /wisdom_sap/inbound/receipt, /wisdom_sap/inbound/delivery and "
        "/wisdom_sap/inbound/production, PLM material "
        "codes to /wisdom_plm/callback, MES production progress to /wisdom_mes/progress, OA approval decisions to "
        "/wisdom_oa/decision. Empty: the system cannot push anything. Use a long random value (e.g. openssl rand "
        "-hex 32).",
    )
    inbound_signing_secret = fields.Char(
        string="Signing Secret",
        groups=GROUP_INTEGRATION_ADMIN,
        copy=False,
        exportable=False,
        help="Set: every push must also carry X-Wisdom-Timestamp (Unix seconds) and X-Wisdom-Signature "
        "(sha256= + hex HMAC-SHA256 of '<timestamp>.<raw body>' with this secret), at most 5 minutes off the "
        "CRM's clock. OA decisions are accepted signed only. Use a long random value, different from the token.",
    )
    rest_mapping = fields.Text(
        string="REST Mapping",
        help='JSON merged over the defaults (README, "SAP inbound", "PLM", "MES" and "OA"). PLM, MES and OA: paths, '
        "auth_header, auth_scheme, fields (logical name → JSON key) and status_map or decision_map (the system's "
        "value → the CRM's). SAP: the JSON keys of the documents SAP pushes (receipt, delivery, delivery_line, "
        "production) and production_status_map (SAP system status → the CRM's).",
    )

    # CRUD METHODS

    def export_data(self, fields_to_export):
        """The inbound token and signing secret never leave through an export, like the core's credentials."""
        refused = [f for f in fields_to_export if f.replace("/", ".").split(".")[0] in INBOUND_CREDENTIALS]
        if refused:
            raise UserError(self.env._("Credentials cannot be exported: %(fields)s", fields=", ".join(refused)))
        return super().export_data(fields_to_export)

    # CONSTRAINT METHODS

    @api.constrains("rest_mapping", "system")
    def _check_rest_mapping(self):
        for endpoint in self.filtered(lambda e: e.system in REST_CONFIGS):
            load, error_class = REST_CONFIGS[endpoint.system]
            try:
                load(endpoint.rest_mapping)
            except error_class as error:
                raise ValidationError(
                    self.env._(
                        "The REST mapping of %(name)s cannot be used: %(error)s", name=endpoint.name, error=error
                    )
                ) from error

    # BUSINESS METHODS

    def _wisdom_secrets(self):
        secrets = super()._wisdom_secrets()
        endpoints = self.sudo()
        return [*secrets, *(endpoint[name] for endpoint in endpoints for name in INBOUND_CREDENTIALS if endpoint[name])]

    def _wisdom_inbound_endpoint(self, system, token):
        """The active ``system`` endpoint whose inbound token is ``token`` (compared in constant time), or none."""
        for endpoint in self.sudo().search([("system", "=", system), ("inbound_token", "!=", False)]):
            if token and hmac.compare_digest(endpoint.inbound_token.encode(), token.encode()):
                return endpoint
        return self.browse()

    def _wisdom_sap_inbound_config(self):
        """The SAP endpoint's REST mapping merged over the JSON keys and status map of ``tools.sap_inbound``."""
        self.ensure_one()
        return sap_inbound.load_config(self.sudo().rest_mapping)

    def _wisdom_plm_config(self):
        """The PLM endpoint's REST mapping merged over the defaults of ``tools.plm``."""
        self.ensure_one()
        return plm.load_config(self.sudo().rest_mapping)

    def _wisdom_mes_config(self):
        """The MES endpoint's REST mapping merged over the defaults of ``tools.mes``."""
        self.ensure_one()
        return mes.load_config(self.sudo().rest_mapping)

    def _wisdom_oa_config(self):
        """The OA endpoint's REST mapping merged over the defaults of ``tools.oa``."""
        self.ensure_one()
        return oa.load_config(self.sudo().rest_mapping)
