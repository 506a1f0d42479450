from odoo import api, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._wisdom_wecom_forward()
        return activities

    def _wisdom_wecom_forward(self):
        """Alerts that the suite schedules as activities (pool reclaim warnings, collection due/overdue
        and retention alerts…) also reach the assignee on WeCom when the activity type says so.

        :return: the queued WeCom messages
        """
        messages = self.env["wisdom.integration.message"].sudo()
        forwarded = self.sudo().filtered(lambda a: a.activity_type_id.wecom_notify and a.user_id.wecom_userid)
        for activity in forwarded:
            record = self.env[activity.res_model].browse(activity.res_id)
            body = "\n".join(filter(None, [record.sudo().display_name, activity.summary,
                                           str(activity.date_deadline or "")]))
            title = activity.summary or activity.activity_type_id.name
            messages |= activity.user_id._wisdom_wecom_notify(title, body, record)
        return messages
