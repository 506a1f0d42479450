from odoo import api, fields, models

from ..tools import sap_costing
from .wisdom_sap_production_order import PRODUCTION_STATUSES


class SaleOrderLine(models.Model):
    """The SAP production orders of a contract line, summed: numbers, status, quantities and planned vs
    actual cost in the company currency, next to the line's estimated cost."""

    _inherit = "sale.order.line"

    company_currency_id = fields.Many2one(related="order_id.company_currency_id", string="Company Currency")
    sap_production_ids = fields.One2many("wisdom.sap.production.order", "line_id", string="SAP Production Orders")
    sap_production_order_nos = fields.Char(
        string="Production Orders", compute="_compute_sap_production", store=True, copy=False
    )
    sap_production_status = fields.Selection(
        PRODUCTION_STATUSES,
        string="Production Status (SAP)",
        compute="_compute_sap_production",
        store=True,
        help="The least advanced status of the line's production orders (cancelled ones left out).",
    )
    sap_planned_qty = fields.Float(
        string="SAP Planned Qty", digits="Product Unit", compute="_compute_sap_production", store=True
    )
    sap_actual_qty = fields.Float(
        string="SAP Actual Qty", digits="Product Unit", compute="_compute_sap_production", store=True
    )
    sap_planned_cost = fields.Monetary(
        string="SAP Planned Cost",
        currency_field="company_currency_id",
        compute="_compute_sap_production",
        store=True,
    )
    sap_actual_cost = fields.Monetary(
        string="SAP Actual Cost",
        currency_field="company_currency_id",
        compute="_compute_sap_production",
        store=True,
    )
    sap_estimated_cost = fields.Monetary(
        string="Estimated Cost",
        currency_field="company_currency_id",
        compute="_compute_sap_estimated_cost",
        help="The line's cost as estimated on the contract (cost price × quantity), company currency.",
    )
    sap_real_cost = fields.Monetary(
        string="Real Cost",
        currency_field="company_currency_id",
        compute="_compute_sap_estimated_cost",
        help="SAP's actual cost once the line's production orders are finished, SAP's planned cost (or the "
        "actual cost so far, when higher) while they run, else the estimate.",
    )

    # COMPUTE METHODS

    @api.depends(
        "sap_production_ids.status",
        "sap_production_ids.planned_qty",
        "sap_production_ids.actual_qty",
        "sap_production_ids.planned_cost",
        "sap_production_ids.actual_cost",
    )
    def _compute_sap_production(self):
        order = [key for key, __ in PRODUCTION_STATUSES]
        for line in self:
            productions = line.sap_production_ids.sorted("name")
            running = productions.filtered(lambda p: p.status != "cancelled")
            statuses = [s for s in running.mapped("status") if s]
            line.sap_production_order_nos = ", ".join(productions.mapped("name")) or False
            line.sap_production_status = (
                min(statuses, key=order.index) if statuses else (productions[:1].status or False)
            )
            line.sap_planned_qty = sum(running.mapped("planned_qty"))
            line.sap_actual_qty = sum(running.mapped("actual_qty"))
            line.sap_planned_cost = sum(running.mapped("planned_cost"))
            line.sap_actual_cost = sum(running.mapped("actual_cost"))

    @api.depends("purchase_price", "product_uom_qty", "order_id.currency_rate", "sap_production_ids.status")
    def _compute_sap_estimated_cost(self):
        for line in self:
            cost = line._wisdom_sap_line_cost()
            line.sap_estimated_cost = cost.estimated
            line.sap_real_cost = sap_costing.line_cost(cost)

    # BUSINESS METHODS

    def _wisdom_sap_line_cost(self):
        """The line's ``tools.sap_costing.LineCost`` in the company currency."""
        self.ensure_one()
        rate = self.order_id.currency_rate or 1.0
        running = self.sap_production_ids.filtered(lambda p: p.status != "cancelled")
        return sap_costing.LineCost(
            estimated=self.purchase_price * self.product_uom_qty / rate,
            planned=self.sap_planned_cost,
            actual=self.sap_actual_cost,
            orders=len(running),
            finished=sap_costing.finished(running.mapped("status")),
        )
