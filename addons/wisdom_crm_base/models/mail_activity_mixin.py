from odoo import models


class MailActivityMixin(models.AbstractModel):
    _inherit = "mail.activity.mixin"

    def _wisdom_activity_schedule(self, act_type_xmlid="", date_deadline=None, summary="", note="", **act_values):
        """``activity_schedule`` for the to-dos the suite gives people in the middle of someone's request
        (a collection to confirm, a demand's next step): the assignee's "assigned to you" e-mail waits in
        Odoo's mail queue, whose run is triggered now. Odoo would otherwise send it right after the
        commit, inside the request, so the user who saved would wait for the mail server.

        :return: the new activities
        """
        activities = self.with_context(mail_notify_force_send=False).activity_schedule(
            act_type_xmlid, date_deadline=date_deadline, summary=summary, note=note, **act_values
        )
        if activities:
            self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        return activities
