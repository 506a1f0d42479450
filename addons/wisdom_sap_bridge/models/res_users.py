from odoo import fields, models

from ..tools import wecom


class ResUsers(models.Model):
    _inherit = "res.users"

    wecom_userid = fields.Char(
        string="WeCom UserID",
        copy=False,
        help="The member's UserID in the company's WeCom address book; alerts are also sent there.",
    )

    oa_user_id = fields.Char(
        string="OA User ID",
        copy=False,
        help="The user's id in the OA system. OA's approval decisions name their approver by this id or by the "
        "CRM login; contract approvals sent to OA list the reviewers with both.",
    )

    _wecom_userid_unique = models.UniqueIndex(
        "(wecom_userid) WHERE wecom_userid IS NOT NULL", "This WeCom UserID belongs to another user."
    )
    _oa_user_id_unique = models.UniqueIndex(
        "(oa_user_id) WHERE oa_user_id IS NOT NULL", "This OA User ID belongs to another user."
    )

    # BUSINESS METHODS

    def _wisdom_record_scope_fields(self):
        # SAP production orders follow their contract's salesperson and team (README, "SAP production")
        return {**super()._wisdom_record_scope_fields(), "wisdom.sap.production.order": ("user_id", "team_id")}

    def _wisdom_wecom_notify(self, title, body, record=None):
        """Send an alert to these users on WeCom (a text card linking to ``record`` when given).

        The suite's alerts call this next to their activity; messages are queued per member within
        WeCom's 30 per minute. Users without a WeCom UserID, or no active WeCom endpoint, are skipped.

        :return: the queued ``wisdom.integration.message`` records
        """
        Message = self.env["wisdom.integration.message"].sudo()
        recipients = self.sudo().filtered(lambda user: user.wecom_userid and user.active)
        endpoint = (
            self.env["wisdom.integration.endpoint"]
            .sudo()
            .search([("system", "=", "wecom"), ("active", "=", True)], limit=1)
        )
        if not recipients or not endpoint:
            return Message
        messages = Message
        for user in recipients:
            payload = user._wisdom_wecom_payload(title, body, record)
            messages |= Message.wisdom_enqueue("wecom", "send", payload, record=record or None, endpoint=endpoint)
        return messages

    def _wisdom_wecom_payload(self, title, body, record=None):
        """The WeCom message for this user: a text card opening ``record``, or a plain text."""
        self.ensure_one()
        if record:
            url = f"{record.get_base_url()}/odoo/{record._name}/{record.id}"
            return wecom.textcard_message(
                self.wecom_userid, None, title, body or record.display_name, url, self.env._("Open")
            )
        return wecom.text_message(self.wecom_userid, None, f"{title}\n{body or ''}")

    def _wisdom_oa_user(self, approver):
        """The active internal user OA names ``approver``: by OA User ID first, then by login (empty when none)."""
        Users = self.sudo().with_context(active_test=True)
        internal = [("share", "=", False)]
        return Users.search([("oa_user_id", "=", approver), *internal], limit=1) or Users.search(
            [("login", "=", approver), *internal], limit=1
        )
