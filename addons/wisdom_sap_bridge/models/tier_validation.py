from odoo import models


class TierValidation(models.AbstractModel):
    _inherit = "tier.validation"

    def _notify_review_requested(self, tier_reviews):
        """Approvals waiting: the reviewers also get the request on WeCom."""
        result = super()._notify_review_requested(tier_reviews)
        self._wisdom_wecom_review_requested(tier_reviews)
        return result

    def _wisdom_wecom_review_requested(self, tier_reviews):
        """:return: the queued WeCom messages"""
        messages = self.env["wisdom.integration.message"].sudo()
        for record in self:
            reviews = tier_reviews.filtered(lambda r, rec=record: r.res_id == rec.id and r.model == rec._name)
            reviewers = reviews.sudo().reviewer_ids
            if reviewers:
                messages |= reviewers._wisdom_wecom_notify(
                    self.env._("Approval waiting: %s", record.display_name),
                    record._notify_requested_review_body(reviews),
                    record,
                )
        return messages
