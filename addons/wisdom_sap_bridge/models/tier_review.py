import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.wisdom_crm_base.models.res_users import GROUP_INTEGRATION_ADMIN
from odoo.addons.wisdom_crm_base.tools import integration

from ..tools import oa

_logger = logging.getLogger(__name__)

OA_STATES = [
    ("not_sent", "Not sent"),
    ("queued", "Queued"),
    ("retrying", "Waiting for OA"),
    ("error", "Refused"),
    ("sent", "In OA"),
]
MESSAGE_TO_OA_STATE = {"pending": "queued", "running": "queued", "failed": "retrying", "dead": "error", "done": "sent"}
# Written by the OA bridge only (with sudo): a reviewer cannot point a review at another OA process.
OA_PROTECTED_FIELDS = {"oa_reference", "oa_process_id", "oa_message_id"}


class TierReview(models.Model):
    """A contract's tier review approved in OA: one OA process per review, started when the review is
    requested, withdrawn when it is restarted or decided in the CRM; OA's decision comes back through
    ``/wisdom_oa/decision`` and is applied as the reviewer OA names."""

    _inherit = "tier.review"

    oa_reference = fields.Char(string="OA Reference", readonly=True, copy=False, index="btree_not_null")
    oa_process_id = fields.Char(string="OA Process", readonly=True, copy=False, index="btree_not_null")
    oa_message_id = fields.Many2one(
        "wisdom.integration.message",
        string="OA Message",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=f"{GROUP_INTEGRATION_ADMIN},base.group_system",
    )
    oa_state = fields.Selection(OA_STATES, string="OA Transfer", compute="_compute_oa_state", store=True)
    oa_error = fields.Text(string="OA Error", compute="_compute_oa_state", store=True)

    # COMPUTE METHODS

    @api.depends("oa_process_id", "oa_message_id.state", "oa_message_id.last_error")
    def _compute_oa_state(self):
        for review in self:
            message = review.sudo().oa_message_id
            if review.oa_process_id:
                review.oa_state, review.oa_error = "sent", False
            elif not message:
                review.oa_state, review.oa_error = "not_sent", False
            else:
                review.oa_state = MESSAGE_TO_OA_STATE[message.state]
                review.oa_error = message.last_error if message.state in ("failed", "dead") else False

    # CRUD METHODS

    def write(self, vals):
        if not self.env.su and set(vals) & OA_PROTECTED_FIELDS:
            raise AccessError(self.env._("The OA process of a review is set by the OA bridge, not by hand."))
        decided = self.browse()
        if vals.get("status") in ("approved", "rejected", "cancel"):
            skip = set(self.env.context.get("wisdom_oa_decided_ids") or ())
            decided = self.filtered(lambda r: r.status != vals["status"] and r.id not in skip)
        result = super().write(vals)
        decided._wisdom_oa_withdraw("decided_in_crm")
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_withdraw_from_oa(self):
        self._wisdom_oa_withdraw("restarted")

    # BUSINESS METHODS

    def _wisdom_oa_record(self):
        """The reviewed record (a contract)."""
        self.ensure_one()
        return self.env[self.model].browse(self.res_id).exists() if self._has_resource_model() else None

    def _wisdom_oa_request(self, endpoint):
        """Queue the OA process of these reviews (their reference is the idempotency key).

        :return: the queued messages
        """
        Message = self.env["wisdom.integration.message"].sudo()
        try:
            config = endpoint._wisdom_oa_config()
        except oa.OaError:
            config = oa.DEFAULT_CONFIG  # the message dies with the mapping's error, for the admin to fix
        messages = Message
        for review in self.sudo().filtered(lambda r: not r.oa_message_id and r.status in ("waiting", "pending")):
            reference = oa.reference(config, review.id)
            message = Message.wisdom_enqueue(
                "oa",
                "approval_request",
                {"review_id": review.id, "reference": reference},
                record=review,
                idempotency_key=reference,
                endpoint=endpoint,
            )
            review.write({"oa_reference": reference, "oa_message_id": message.id})
            messages |= message
        return messages

    def _wisdom_oa_withdraw(self, reason):
        """Withdraw the OA processes of these reviews (restarted, or decided in the CRM): one queued
        ``approval_cancel`` per review, nothing when OA cannot withdraw (no ``cancel_path``) or the endpoint
        is archived. A process not known yet is looked up by reference when the message is sent."""
        Message = self.env["wisdom.integration.message"].sudo()
        for review in self.sudo().filtered("oa_message_id"):
            endpoint = review.oa_message_id.endpoint_id
            if not endpoint.active or not review._wisdom_oa_can_withdraw(endpoint):
                continue
            record = review._wisdom_oa_record()
            Message.wisdom_enqueue(
                "oa",
                "approval_cancel",
                {
                    "reference": review.oa_reference,
                    "process_id": review.oa_process_id or "",
                    "reason": reason,
                    "status": review.status,
                },
                record=record or None,
                idempotency_key=f"{review.oa_reference}:cancel",
                endpoint=endpoint,
            )

    def _wisdom_oa_can_withdraw(self, endpoint):
        try:
            return bool(endpoint._wisdom_oa_config().get("cancel_path"))
        except oa.OaError:
            _logger.warning("OA process of %s not withdrawn: the REST mapping of %s is broken", self, endpoint.name)
            return False

    def _wisdom_integration_done(self, message, response):
        """OA started (or already had) the process of this review: its id is kept on the review."""
        self.ensure_one()
        if message.system == "oa" and message.operation == "approval_request" and response.get("process_id"):
            self.sudo().oa_process_id = response["process_id"]
        return True

    @api.model
    def _wisdom_oa_find(self, decision):
        """The review a decision is about: by the CRM's reference, else by OA's process id."""
        Review = self.sudo()
        if decision.reference:
            return Review.search([("oa_reference", "=", decision.reference)], limit=1)
        return Review.search([("oa_process_id", "=", decision.process_id)], limit=1)

    def _wisdom_oa_apply(self, decision, user):
        """Apply OA's ``decision`` as ``user``, as OCA's comment wizard does (comment, then approve or
        reject the review, then the reviewers' counters).

        :return: True when applied, False when the review already has this decision (nothing is written)
        :raise integration.BusinessError: 409 when the review is decided otherwise, cancelled, not the turn
            of this reviewer, or ``user`` is not one of its reviewers
        """
        self.ensure_one()
        review = self.sudo()
        if review.status in ("approved", "rejected"):
            if review.status == decision.decision:
                return False
            raise self._wisdom_oa_conflict(
                "already_decided",
                self.env._(
                    "The review %(review)s is already %(status)s in the CRM; OA's decision (%(decision)s) is not "
                    "applied.",
                    review=review.oa_reference,
                    status=review.display_status,
                    decision=decision.decision,
                ),
            )
        if review.status not in ("waiting", "pending"):
            raise self._wisdom_oa_conflict(
                "not_open",
                self.env._(
                    "The review %s was cancelled in the CRM: OA's decision is not applied.", review.oa_reference
                ),
            )
        if user not in review.reviewer_ids:
            raise self._wisdom_oa_conflict(
                "not_a_reviewer",
                self.env._(
                    "%(user)s, named by OA as approver, is not a reviewer of %(review)s (%(tier)s).",
                    user=user.display_name,
                    review=review.oa_reference,
                    tier=review.name,
                ),
            )
        record = review._wisdom_oa_record().with_user(user).with_context(wisdom_oa_decided_ids=(review.id,))
        if review.sequence not in record._get_sequences_to_approve(user) and not review.approve_sequence_bypass:
            raise self._wisdom_oa_conflict(
                "not_yet", self.env._("The review %s waits for an earlier tier first.", review.oa_reference)
            )
        mine = review.with_env(record.env)
        mine.write({"comment": decision.comment or False})
        if decision.decision == "approved":
            record._validate_tier(mine)
        else:
            record._rejected_tier(mine)
        record._update_counter({"review_deleted": True})
        if decision.decided_at:
            review.reviewed_date = min(decision.decided_at, fields.Datetime.now())
        record.sudo().message_post(body=self._wisdom_oa_note(decision, review), author_id=user.partner_id.id)
        return True

    def _wisdom_oa_note(self, decision, review):
        env = review._wisdom_oa_record()._wisdom_chatter_env()
        if decision.decision == "approved":
            text = env._(
                "Approved in OA (process %(process)s): %(tier)s.", process=review.oa_process_id or "-", tier=review.name
            )
        else:
            text = env._(
                "Rejected in OA (process %(process)s): %(tier)s.", process=review.oa_process_id or "-", tier=review.name
            )
        return f"{text} {decision.comment}" if decision.comment else text

    @api.model
    def _wisdom_oa_conflict(self, code, text):
        return integration.BusinessError(text, http_status=409, code=code, response={"error": code})
