from odoo import fields, models


class TierReview(models.Model):
    _inherit = "tier.review"

    wisdom_findings_key = fields.Char(
        string="Reviewed Findings",
        readonly=True,
        help="Digest of the review findings this tier was asked to approve (rule, line, observed value, "
        "threshold). An approval stays valid while the digest does not change.",
    )
