from odoo import fields, models

from .wisdom_invoice_request import OPEN_STATES


class SaleOrder(models.Model):
    _inherit = "sale.order"

    invoice_request_ids = fields.One2many("wisdom.invoice.request", "order_id", string="Invoice Requests")
    invoice_request_count = fields.Integer(string="Invoice Request Count", compute="_compute_invoice_request_count")

    def _compute_invoice_request_count(self):
        counts = dict(
            self.env["wisdom.invoice.request"]._read_group([("order_id", "in", self.ids)], ["order_id"], ["__count"])
        )
        for order in self:
            order.invoice_request_count = counts.get(order, 0)

    def action_wisdom_new_invoice_request(self):
        """Open a new invoice request with everything shipped and not yet invoiced."""
        self.ensure_one()
        request = self.env["wisdom.invoice.request"].create({"order_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "wisdom.invoice.request",
            "res_id": request.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_wisdom_view_invoice_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("wisdom_einvoice.action_wisdom_invoice_request")
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_order_id": self.id}
        return action


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _wisdom_invoiceable_qty(self, exclude=None, shipped=True):
        """Shipped (or, ``shipped=False``, ordered) and neither invoiced nor in another open invoice
        request (``exclude``: the request asking)."""
        self.ensure_one()
        base = self.qty_delivered if shipped else self.product_uom_qty
        domain = [
            ("sale_line_id", "=", self.id),
            ("request_id.state", "in", OPEN_STATES),
            ("request_id.is_red", "=", False),
        ]
        if exclude and exclude.ids:
            domain.append(("request_id", "not in", exclude.ids))
        requested = sum(self.env["wisdom.invoice.request.line"].sudo().search(domain).mapped("quantity"))
        return max(base - self.qty_invoiced - requested, 0.0)
