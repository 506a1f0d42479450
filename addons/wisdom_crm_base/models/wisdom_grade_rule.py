from odoo import fields, models

from .wisdom_customer_pool import CUSTOMER_GRADES


class WisdomGradeRule(models.Model):
    _name = "wisdom.grade.rule"
    _description = "Customer Grade Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Rules are tried in this order; the first that matches gives the grade.")
    active = fields.Boolean(default=True)
    grade = fields.Selection(CUSTOMER_GRADES, required=True)
    min_contract_amount_12m = fields.Monetary(
        string="Min. Contract Amount (12 months)",
        currency_field="currency_id",
        help="Confirmed contracts signed in the last 12 months. 0: no condition.",
    )
    min_collection_ratio = fields.Float(
        string="Min. Collection Ratio (%)", help="Collected ÷ contracted over 12 months. 0: no condition."
    )
    max_overdue_ratio = fields.Float(
        string="Max. Overdue Ratio (%)", default=100.0, help="Overdue ÷ receivable. 100: no condition."
    )
    strategic_only = fields.Boolean(string="Strategic Customers Only")
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id, required=True)

    _ratios_in_range = models.Constraint(
        "CHECK (min_collection_ratio BETWEEN 0 AND 100 AND max_overdue_ratio BETWEEN 0 AND 100)",
        "Ratios are percentages between 0 and 100.",
    )
