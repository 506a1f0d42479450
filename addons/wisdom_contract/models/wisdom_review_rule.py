from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import review as review_tools
from .sale_order import CONTRACT_TYPES

CHECK_TYPES = [
    ("price_floor", "Price below floor price"),
    ("discount_limit", "Discount above limit"),
    ("margin_min", "Gross margin below minimum"),
    ("nonstandard", "Non-standard (technical) items"),
    ("credit_days", "Credit days above the customer's allowance"),
    ("overdue", "Customer has overdue receivable"),
    ("credit_limit", "Customer over credit limit"),
    ("delivery_lead", "Delivery shorter than standard lead time"),
    ("warranty", "Warranty longer than standard"),
    ("prepayment_min", "Prepayment below policy"),
    ("retention_max", "Retention above policy"),
    ("amount_above", "Amount above threshold"),
]
OUTCOMES = [
    ("approval", "Needs approval"),
    ("block", "Blocks submission"),
]
REVIEW_ROLES = [
    ("director", "Sales director"),
    ("product_manager", "Product manager"),
    ("finance", "Finance"),
]
THRESHOLD_HELP = (
    "Discount limit and margin minimum: %; credit days: tolerance on top of the customer's allowance; "
    "overdue: tolerated amount; delivery: minimum lead days (the products' own lead time wins when longer); "
    "warranty: standard months (the products' own standard wins); prepayment minimum and retention maximum: %; "
    "amount: contract total in company currency. Unused for floor price, credit limit and non-standard items."
)


class WisdomReviewRule(models.Model):
    _name = "wisdom.review.rule"
    _description = "Contract Review Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", string="Company", help="Empty: applies to every company.")
    check_type = fields.Selection(CHECK_TYPES, string="Check", required=True, tracking=True)
    threshold = fields.Float(string="Threshold", digits=(16, 2), tracking=True, help=THRESHOLD_HELP)
    outcome = fields.Selection(OUTCOMES, string="Outcome", required=True, default="approval", tracking=True)
    role = fields.Selection(REVIEW_ROLES, string="Approver", default="director", tracking=True)
    contract_type = fields.Selection(CONTRACT_TYPES, string="Contract Type", help="Empty: every contract type.")
    customer_category = fields.Selection(
        selection=lambda self: self.env["res.partner"]._fields["customer_category"].selection,
        string="Customer Category",
        help="Empty: every customer category.",
    )
    customer_grade = fields.Selection(
        selection=lambda self: self.env["res.partner"]._fields["customer_grade"].selection,
        string="Customer Grade",
        help="Empty: every grade.",
    )
    product_category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Only lines of these categories (and their subcategories) are checked; empty: every line.",
    )
    description = fields.Text(string="Policy Explanation", translate=True)

    # CONSTRAINT METHODS

    @api.constrains("outcome", "role")
    def _check_role(self):
        for rule in self:
            if rule.outcome == "approval" and not rule.role:
                raise ValidationError(self.env._("Rule %s needs an approver.", rule.name))

    # BUSINESS METHODS

    def _to_tool_rules(self):
        return [
            review_tools.Rule(
                rule_id=rule.id,
                check_type=rule.check_type,
                threshold=rule.threshold,
                outcome=rule.outcome,
                role=rule.role or "",
                contract_types=frozenset([rule.contract_type] if rule.contract_type else []),
                customer_categories=frozenset([rule.customer_category] if rule.customer_category else []),
                customer_grades=frozenset([rule.customer_grade] if rule.customer_grade else []),
                product_category_ids=frozenset(rule.product_category_ids.ids),
            )
            for rule in self
        ]

    @api.model
    def _rules_for(self, company):
        return self.sudo().search([("company_id", "in", [False, company.id])])
