from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import grading

GRADE_BATCH = 1000
FIGURE_KEYS = (
    "opportunity_count",
    "opportunity_amount",
    "contract_count",
    "contract_amount",
    "contract_amount_12m",
    "invoiced_amount",
    "collected_amount",
    "collected_amount_12m",
    "receivable_amount",
    "overdue_amount",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    strategic_customer = fields.Boolean(string="Strategic Customer", tracking=True)
    grade_locked = fields.Boolean(
        string="Grade Set by Hand", tracking=True, help="The grade stays as set; recomputing skips this customer."
    )
    grade_lock_reason = fields.Char(string="Reason for Manual Grade", tracking=True)
    grade_rule_id = fields.Many2one("wisdom.grade.rule", string="Grade Rule Applied", readonly=True)
    grade_computed_at = fields.Datetime(string="Grade Computed On", readonly=True)

    # Transactions area (交易记录): figures gathered through _wisdom_customer_figures()
    wisdom_currency_id = fields.Many2one("res.currency", compute="_compute_wisdom_figures")
    wisdom_opportunity_amount = fields.Monetary(
        string="Open Opportunities", compute="_compute_wisdom_figures", currency_field="wisdom_currency_id"
    )
    wisdom_contract_count = fields.Integer(string="Contracts", compute="_compute_wisdom_figures")
    wisdom_contract_amount = fields.Monetary(
        string="Contract Amount", compute="_compute_wisdom_figures", currency_field="wisdom_currency_id"
    )
    wisdom_invoiced_amount = fields.Monetary(
        string="Invoiced", compute="_compute_wisdom_figures", currency_field="wisdom_currency_id"
    )
    wisdom_collected_amount = fields.Monetary(
        string="Collected", compute="_compute_wisdom_figures", currency_field="wisdom_currency_id"
    )
    wisdom_receivable_amount = fields.Monetary(
        string="Receivable", compute="_compute_wisdom_figures", currency_field="wisdom_currency_id"
    )
    wisdom_overdue_amount = fields.Monetary(
        string="Overdue", compute="_compute_wisdom_figures", currency_field="wisdom_currency_id"
    )

    @api.constrains("grade_locked", "grade_lock_reason")
    def _check_grade_lock_reason(self):
        for partner in self:
            if partner.grade_locked and not (partner.grade_lock_reason or "").strip():
                raise ValidationError(self.env._("Give a reason for setting the grade of %s by hand.", partner.name))

    # COMPUTE METHODS

    def _compute_wisdom_figures(self):
        figures = self._wisdom_customer_figures()
        for partner in self:
            values = figures.get(partner.id, {})
            partner.wisdom_currency_id = self.env.company.currency_id
            partner.wisdom_opportunity_amount = values.get("opportunity_amount", 0.0)
            partner.wisdom_contract_count = int(values.get("contract_count", 0))
            partner.wisdom_contract_amount = values.get("contract_amount", 0.0)
            partner.wisdom_invoiced_amount = values.get("invoiced_amount", 0.0)
            partner.wisdom_collected_amount = values.get("collected_amount", 0.0)
            partner.wisdom_receivable_amount = values.get("receivable_amount", 0.0)
            partner.wisdom_overdue_amount = values.get("overdue_amount", 0.0)

    # HOOKS

    def _wisdom_customer_figures(self):
        """``{partner_id: {key: float}}`` with every key of FIGURE_KEYS, for the customers in self
        (their contacts' records included), set-based.

        This addon fills the opportunities; wisdom_contract and wisdom_fulfillment extend it with
        contracts, invoices, collections, receivable and overdue amounts (call super, then add).
        """
        figures = {partner_id: dict.fromkeys(FIGURE_KEYS, 0.0) for partner_id in self.ids}
        if not self.ids:
            return figures
        groups = (
            self.env["crm.lead"]
            .sudo()
            ._read_group(
                [
                    ("partner_id.commercial_partner_id", "in", self.ids),
                    ("type", "=", "opportunity"),
                    ("probability", "<", 100),
                    ("active", "=", True),
                ],
                ["partner_id"],
                ["__count", "expected_revenue:sum"],
            )
        )
        for partner, count, amount in groups:
            values = figures.get(partner.commercial_partner_id.id)
            if values is not None:
                values["opportunity_count"] += count
                values["opportunity_amount"] += amount
        return figures

    # ACTION METHODS

    def action_recompute_grade(self):
        self._wisdom_recompute_grades()
        return True

    # BUSINESS METHODS

    def _wisdom_recompute_grades(self):
        """Grade the customers in self by the active rules; customers graded by hand keep their grade."""
        rules = self.env["wisdom.grade.rule"].sudo().search([("active", "=", True)])
        pure_rules = [
            grading.GradeRule(
                grade=rule.grade,
                min_contract_amount_12m=rule.min_contract_amount_12m,
                min_collection_ratio=rule.min_collection_ratio / 100,
                max_overdue_ratio=rule.max_overdue_ratio / 100,
                strategic_only=rule.strategic_only,
                id=rule.id,
            )
            for rule in rules
        ]
        customers = self.sudo().filtered(lambda p: p.wisdom_customer and not p.parent_id and not p.grade_locked)
        figures = customers._wisdom_customer_figures()
        now = fields.Datetime.now()
        for partner in customers:
            values = figures[partner.id]
            collection, overdue = grading.ratios(
                values["collected_amount_12m"],
                values["contract_amount_12m"],
                values["overdue_amount"],
                values["receivable_amount"],
            )
            grade, rule = grading.evaluate(
                pure_rules,
                grading.GradeFigures(values["contract_amount_12m"], collection, overdue, partner.strategic_customer),
                default=partner.customer_grade,
            )
            vals = {"grade_computed_at": now, "grade_rule_id": rule.id if rule else False}
            if grade != partner.customer_grade:
                vals["customer_grade"] = grade
            partner.write(vals)

    @api.model
    def _cron_recompute_grades(self):
        """Nightly: grade every customer, in batches committed one by one."""
        customers = self.sudo().search(
            [("wisdom_customer", "=", True), ("parent_id", "=", False), ("grade_locked", "=", False)]
        )
        for start in range(0, len(customers), GRADE_BATCH):
            batch = customers[start : start + GRADE_BATCH]
            batch._wisdom_recompute_grades()
            self._wisdom_commit_progress(len(batch), remaining=len(customers) - start - len(batch))
            batch.invalidate_recordset()
