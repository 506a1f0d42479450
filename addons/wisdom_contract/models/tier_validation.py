from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class TierValidation(models.AbstractModel):
    """Approval banners in the user's language.

    OCA ``base_tier_validation`` ships these messages untranslated in zh_CN, and Odoo reads code
    translations only from the module that holds the code, so approvers (contracts here, receivable
    disposals in wisdom_fulfillment) would meet English banners: the messages are rebuilt here with
    this addon's translations.
    """

    _inherit = "tier.validation"
    # Models of the suite set this: only the record's responsible user, sales managers and directors,
    # the contract admin and administrators restart its approvals (OCA lets everyone).
    _wisdom_restart_restricted = False

    wisdom_can_restart_review = fields.Boolean(
        string="May Restart Approvals", compute="_compute_wisdom_can_restart_review"
    )

    @api.depends_context("uid")
    def _compute_wisdom_can_restart_review(self):
        for record in self:
            record.wisdom_can_restart_review = record._wisdom_may_restart_review()

    def _wisdom_may_restart_review(self):
        self.ensure_one()
        user = self.env.user
        if not self._wisdom_restart_restricted or self.env.su or user._is_admin():
            return True
        if user.has_group("wisdom_crm_base.group_wisdom_manager") or user.has_group(
            "wisdom_crm_base.group_wisdom_contract_admin"
        ):
            return True
        return "user_id" in self._fields and self.user_id == user

    def _get_to_validate_message(self):
        icon = Markup('<i class="fa fa-lg fa-info-circle"></i>')
        pending = self.review_ids.filtered(lambda r: r.status == "pending")[:1]
        # The translated template is trusted; the names put into it are escaped.
        # the reviewers are named in the reader's language, not in the requester's stored ``todo_by``
        todo_by = (
            self.env._("Group %s", pending.reviewer_group_id.name) if pending.reviewer_group_id else pending.todo_by
        )
        if pending and todo_by:
            return Markup(self.env._("%(icon)s Pending validation by %(todo_by)s")) % {
                "icon": icon,
                "todo_by": todo_by,
            }
        return Markup(self.env._("%(icon)s This %(model_name)s needs to be validated")) % {
            "icon": icon,
            "model_name": self._get_to_validate_message_name(),
        }

    def _get_validated_message(self):
        if self.validation_status != "validated":
            return ""
        return Markup('<i class="fa fa-thumbs-up"></i> ') + self.env._("Operation has been validated!")

    def _get_rejected_message(self):
        if self.validation_status != "rejected":
            return ""
        return Markup('<i class="fa fa-thumbs-down"></i> ') + self.env._("Operation has been rejected.")

    def _compute_next_review(self):
        for record in self:
            review = record.review_ids.sorted("sequence").filtered(lambda r: r.status == "pending")[:1]
            record.next_review = self.env._("Next: %s", review.name) if review else False

    # Public approval calls answer a value: OCA's return nothing unless a comment is asked for,
    # which XML-RPC cannot marshal ("cannot marshal None") although the approval was recorded.

    def validate_tier(self):
        result = super().validate_tier()
        return self._wisdom_approval_notification() if result is None else result

    def _wisdom_approval_notification(self):
        """What the approver sees after approving: whether the record is approved or who is next."""
        self.ensure_one()
        self.invalidate_recordset(["review_ids", "validation_status"])
        if self.validation_status == "validated":
            message = self.env._("Your approval is recorded: %s is approved.", self.display_name)
        else:
            pending = self.review_ids.filtered(lambda r: r.status == "pending")[:1]
            todo_by = (
                self.env._("Group %s", pending.reviewer_group_id.name) if pending.reviewer_group_id else pending.todo_by
            )
            message = self.env._(
                "Your approval is recorded: %(record)s now waits for %(todo_by)s.",
                record=self.display_name,
                todo_by=todo_by or "-",
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def reject_tier(self):
        result = super().reject_tier()
        return True if result is None else result

    def restart_validation(self):
        if not all(record._wisdom_may_restart_review() for record in self):
            raise UserError(
                self.env._(
                    "Only the responsible sales rep, a sales manager or director, or the contract "
                    "admin may restart these approvals."
                )
            )
        result = super().restart_validation()
        return True if result is None else result

    # Chatter notes posted by the approval flow. A note is written once and cannot follow its reader's
    # language: it is worded in the language of the record's responsible user (the team reading it),
    # not in that of the API call or approver that triggered it, with names translated by the ORM.

    def _wisdom_chatter_env(self):
        user = self.user_id if "user_id" in self._fields and len(self) == 1 else self.env["res.users"]
        return self.with_context(lang=user.lang or self.env.lang).env

    def _notify_created_review_body(self):
        env = self._wisdom_chatter_env()
        return env._("A record to be reviewed has been created by %s.", self.env.user.name)

    def _notify_requested_review_body(self, tier_reviews=None):
        env = self._wisdom_chatter_env()
        if tier_reviews:
            requester = tier_reviews[:1].requested_by or self.env.user
            assignees = ", ".join(filter(None, tier_reviews.with_env(env).mapped("todo_by"))) or env._(
                "the assigned reviewer"
            )
            return env._(
                "Review pending for %(assignees)s, requested by %(requester)s.",
                assignees=assignees,
                requester=requester.display_name,
            )
        return env._("A review has been requested by %s.", self.env.user.display_name)

    def _notify_accepted_reviews_body(self):
        env = self._wisdom_chatter_env()
        commented = self.review_ids.filtered(lambda r: self.env.user in r.reviewer_ids and r.comment)
        if commented:
            return env._("A review was accepted. (%s)", commented.mapped("comment")[0])
        return env._("A review was accepted")

    def _notify_rejected_review_body(self):
        env = self._wisdom_chatter_env()
        commented = self.review_ids.filtered(lambda r: self.env.user in r.reviewer_ids and r.comment)
        if commented:
            return env._(
                "A review was rejected by %(user)s. (%(comment)s)",
                user=self.env.user.name,
                comment=commented.mapped("comment")[0],
            )
        return env._("A review was rejected by %s.", self.env.user.name)

    def _notify_restarted_review_body(self):
        return self._wisdom_chatter_env()._("The review has been reset by %s.", self.env.user.name)
