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

        One message per activity; activities of one type created together for one user (a nightly
        batch) make one message listing them, so that a rep is not sent hundreds of cards.

        :return: the queued WeCom messages
        """
        messages = self.env["wisdom.integration.message"].sudo()
        forwarded = self.sudo().filtered(lambda a: a.activity_type_id.wecom_notify and a.user_id.wecom_userid)
        groups = {}
        for activity in forwarded:
            groups.setdefault((activity.user_id, activity.activity_type_id), []).append(activity)
        for (user, activity_type), activities in groups.items():
            if len(activities) == 1:
                activity = activities[0]
                record = self.env[activity.res_model].browse(activity.res_id)
                body = "\n".join(
                    filter(None, [record.sudo().display_name, activity.summary, str(activity.date_deadline or "")])
                )
                messages |= user._wisdom_wecom_notify(activity.summary or activity_type.name, body, record)
            else:
                title = self.env._("%(type)s: %(count)s records", type=activity_type.name, count=len(activities))
                body = "\n".join(f"{a.res_name or ''}: {a.summary or ''}" for a in activities)
                messages |= user._wisdom_wecom_notify(title, body)
        return messages
