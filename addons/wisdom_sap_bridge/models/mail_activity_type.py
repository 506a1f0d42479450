from odoo import fields, models


class MailActivityType(models.Model):
    _inherit = "mail.activity.type"

    wecom_notify = fields.Boolean(
        string="Also on WeCom",
        help="Activities of this type are also sent to the assigned user on WeCom (when they have a WeCom UserID).",
    )
