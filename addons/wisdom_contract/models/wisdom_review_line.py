from odoo import api, fields, models

from .wisdom_review_rule import CHECK_TYPES, REVIEW_ROLES

FINDING_OUTCOMES = [
    ("pass", "Pass"),
    ("approval", "Needs approval"),
    ("block", "Blocking"),
]


class WisdomReviewLine(models.Model):
    _name = "wisdom.review.line"
    _description = "Contract Review Finding"
    _order = "order_id, outcome_rank, id"

    order_id = fields.Many2one("sale.order", string="Contract", required=True, ondelete="cascade", index=True)
    rule_id = fields.Many2one("wisdom.review.rule", string="Rule", ondelete="set null")
    check_type = fields.Selection(CHECK_TYPES, string="Check", required=True)
    outcome = fields.Selection(FINDING_OUTCOMES, string="Outcome", required=True)
    outcome_rank = fields.Integer(compute="_compute_outcome_rank", store=True)
    role = fields.Selection(REVIEW_ROLES, string="Approver")
    sale_line_id = fields.Many2one("sale.order.line", string="Contract Line", ondelete="set null")
    product_id = fields.Many2one(related="sale_line_id.product_id", string="Product")
    observed = fields.Float(string="Observed", digits=(16, 2))
    threshold = fields.Float(string="Threshold", digits=(16, 2))
    message_en = fields.Char(string="Finding (English)")
    message_zh = fields.Char(string="Finding (Chinese)")
    message = fields.Char(string="Finding", compute="_compute_message")

    # COMPUTE METHODS

    @api.depends("outcome")
    def _compute_outcome_rank(self):
        rank = {"block": 0, "approval": 1, "pass": 2}
        for line in self:
            line.outcome_rank = rank.get(line.outcome, 3)

    @api.depends_context("lang")
    @api.depends("message_en", "message_zh")
    def _compute_message(self):
        chinese = (self.env.lang or "").startswith("zh")
        for line in self:
            line.message = line.message_zh if chinese else line.message_en
