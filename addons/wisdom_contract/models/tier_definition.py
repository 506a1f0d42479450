from odoo import fields, models

from .wisdom_review_rule import REVIEW_ROLES


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    wisdom_review_role = fields.Selection(
        REVIEW_ROLES,
        string="Contract Review Role",
        help="Contract review: the findings of this role decide whether an approved review of this tier "
        "stays valid when the contract changes. Empty: any approval finding counts.",
    )
