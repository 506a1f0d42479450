from odoo import fields, models

from odoo.addons.wisdom_crm_base.models.res_users import GROUP_INTEGRATION_ADMIN


class WisdomIntegrationEndpoint(models.Model):
    _inherit = "wisdom.integration.endpoint"

    wecom_agent_id = fields.Char(
        string="WeCom AgentId",
        groups=GROUP_INTEGRATION_ADMIN,
        help="AgentId of the WeCom application that sends the notifications (the Key is the CorpID, "
        "the Secret the application's secret).",
    )
