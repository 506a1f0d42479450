from odoo import models


class TierValidation(models.AbstractModel):
    _inherit = "tier.validation"
    # Models whose approvals are also sent to OA (contracts: sale_order_oa.py) set this.
    _wisdom_oa_approvals = False

    def _notify_review_requested(self, tier_reviews):
        """Approvals waiting: the reviewers also get the request on WeCom, and OA starts its processes."""
        result = super()._notify_review_requested(tier_reviews)
        self._wisdom_wecom_review_requested(tier_reviews)
        self._wisdom_oa_review_requested(tier_reviews)
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

    def _wisdom_oa_review_requested(self, tier_reviews):
        """Queue one OA process per requested review of these records while an OA endpoint is active;
        nothing waits for OA.

        :return: the queued OA messages
        """
        messages = self.env["wisdom.integration.message"].sudo()
        if not self._wisdom_oa_approvals:
            return messages
        endpoint = self.env["wisdom.integration.endpoint"].sudo().search([("system", "=", "oa")], limit=1)
        if not endpoint:
            return messages
        reviews = tier_reviews.filtered(lambda r: r.model == self._name and r.res_id in self.ids)
        return reviews._wisdom_oa_request(endpoint)
