from odoo import api, fields, models

from ..tools import sap_costing


class SaleOrder(models.Model):
    """SAP's production orders of the contract and their cost: the real margin next to the estimated one.

    ``margin`` / ``margin_company`` stay the estimate the contract review judged; ``sap_real_margin``
    replaces each produced line's estimated cost by SAP's (``tools/sap_costing.py``)."""

    _inherit = "sale.order"

    sap_production_ids = fields.One2many("wisdom.sap.production.order", "order_id", string="SAP Production Orders")
    sap_planned_cost = fields.Monetary(
        string="SAP Planned Cost", currency_field="company_currency_id", compute="_compute_sap_costs"
    )
    sap_actual_cost = fields.Monetary(
        string="SAP Actual Cost", currency_field="company_currency_id", compute="_compute_sap_costs"
    )
    sap_estimated_cost = fields.Monetary(
        string="Estimated Cost of Produced Lines",
        currency_field="company_currency_id",
        compute="_compute_sap_costs",
        help="The contract's estimated cost of the lines SAP produces, to compare with SAP's costs.",
    )
    sap_real_margin = fields.Monetary(
        string="Real Margin",
        currency_field="company_currency_id",
        compute="_compute_sap_costs",
        help="The contract margin (company currency) with SAP's production cost instead of the estimate on the "
        "lines SAP produces: actual cost once finished, planned cost while running.",
    )

    # COMPUTE METHODS

    @api.depends(
        "margin_company", "order_line.sap_planned_cost", "order_line.sap_actual_cost", "order_line.purchase_price"
    )
    def _compute_sap_costs(self):
        for order in self:
            lines = order.order_line.filtered("sap_production_ids")
            costs = [line._wisdom_sap_line_cost() for line in lines]
            order.sap_planned_cost = sum(lines.mapped("sap_planned_cost"))
            order.sap_actual_cost = sum(lines.mapped("sap_actual_cost"))
            order.sap_estimated_cost = sum(cost.estimated for cost in costs)
            order.sap_real_margin = sap_costing.real_margin(order.margin_company, costs)

    # BUSINESS METHODS

    def _wisdom_sap_note_production_order(self, number):
        """Add a new SAP production order number to the contract's *Production Order Nos.*"""
        self.ensure_one()
        order = self.sudo()
        numbers = [n.strip() for n in (order.production_order_nos or "").split(",") if n.strip()]
        if number not in numbers:
            order.production_order_nos = ", ".join([*numbers, number])
