from odoo import api, fields, models


class TierReview(models.Model):
    _inherit = "tier.review"

    wisdom_findings_key = fields.Char(
        string="Reviewed Findings",
        readonly=True,
        help="Digest of the review findings this tier was asked to approve (rule, line, observed value, "
        "threshold). An approval stays valid while the digest does not change.",
    )

    # Who the review waits for, worded in the reader's language: OCA stores it in the language of
    # whoever requested the review ("待 Group Finance 审批" on a Chinese screen).
    todo_by = fields.Char(store=False)

    @api.depends_context("lang")
    @api.depends("reviewer_ids")
    def _compute_todo_by(self):  # pylint: disable=missing-return
        # OCA's "Group %s" is untranslated in zh_CN and code terms are read from the module that
        # holds the code: name the group with this addon's translation.
        super()._compute_todo_by()
        for review in self.filtered("reviewer_group_id"):
            review.todo_by = self.env._("Group %s", review.reviewer_group_id.name)
