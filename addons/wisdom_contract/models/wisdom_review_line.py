from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

from ..tools import review as review_tools
from .wisdom_review_rule import CHECK_TYPES, REVIEW_ROLES

_lt = LazyTranslate(__name__)

FINDING_OUTCOMES = [
    ("pass", "Pass"),
    ("approval", "Needs approval"),
    ("block", "Blocking"),
]
# Message code (tools.review.message_code) -> English source; parameters from
# tools.review.format_message_params. Translated in the reader's language when shown.
FINDING_MESSAGES = {
    "price_floor": _lt("%(product)s: unit price %(observed)s is below the floor price %(threshold)s."),
    "discount_limit": _lt("%(product)s: discount %(observed)s %% exceeds the limit of %(threshold)s %%."),
    "margin_min": _lt("Gross margin %(observed)s %% is below the minimum of %(threshold)s %%."),
    "nonstandard": _lt("%(product)s: non-standard item, needs technical review."),
    "credit_days": _lt("Credit term of %(observed)s days exceeds the customer's allowance of %(threshold)s days."),
    "overdue": _lt("The customer has %(observed)s overdue receivable (tolerance %(threshold)s)."),
    "credit_limit": _lt("Credit exposure %(observed)s including this contract exceeds the credit limit %(threshold)s."),
    "delivery_lead": _lt("Delivery in %(observed)s days is shorter than the standard lead time of %(threshold)s days."),
    "warranty": _lt("Warranty of %(observed)s months is longer than the standard %(threshold)s months."),
    "prepayment_min": _lt("Prepayment of %(observed)s %% is below the policy minimum of %(threshold)s %%."),
    "retention_max": _lt("Retention of %(observed)s %% is above the policy maximum of %(threshold)s %%."),
    "amount_above": _lt("Contract amount %(observed)s is above the threshold %(threshold)s."),
    review_tools.PASS_CODE: _lt("Checked: no finding."),
}


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
    message_code = fields.Char(
        string="Message Code",
        help="What the finding says, as a code: its check type, or "
        "'pass'. The message is worded from it in the reader's language.",
    )
    message_params = fields.Json(string="Message Parameters", help="Product name, observed value and threshold.")
    message = fields.Char(string="Finding", compute="_compute_message", help="In the reader's language.")

    # COMPUTE METHODS

    @api.depends("outcome")
    def _compute_outcome_rank(self):
        rank = {"block": 0, "approval": 1, "pass": 2}
        for line in self:
            line.outcome_rank = rank.get(line.outcome, 3)

    @api.depends_context("lang")
    @api.depends("message_code", "message_params")
    def _compute_message(self):
        for line in self:
            line.message = self._wisdom_render_message(line.message_code, line.message_params)

    # BUSINESS METHODS

    @api.model
    def _wisdom_render_message(self, code, params):
        """The message of a finding (``code`` and ``params``) in the language of the environment."""
        if code not in FINDING_MESSAGES:
            return ""
        # the lazy term carries no arguments: the translated template is filled in here
        template = self.env._(FINDING_MESSAGES[code])
        return template % review_tools.format_message_params(code, params)

    @api.model
    def _wisdom_finding_messages(self, findings):
        """The messages of ``tools.review.Finding`` objects, in the language of the environment."""
        return [
            self._wisdom_render_message(review_tools.message_code(f), review_tools.message_params(f)) for f in findings
        ]
