from odoo import fields, models


class SaleOrderLine(models.Model):
    """Production of a contract line as MES plans and reports it (ISA-95 ProductionPerformance)."""

    _inherit = "sale.order.line"

    mes_planned_qty = fields.Float(string="MES Planned", digits="Product Unit", readonly=True, copy=False)
    mes_reported_qty = fields.Float(string="MES Reported", digits="Product Unit", readonly=True, copy=False)
    mes_planned_start = fields.Date(string="Production Start", readonly=True, copy=False)
    mes_planned_end = fields.Date(string="Production End", readonly=True, copy=False)
    mes_reported_date = fields.Date(string="Last Reported", readonly=True, copy=False)

    def _wisdom_mes_apply(self, progress):
        """Write one ``tools.mes.LineProgress``: only the figures MES sent."""
        self.ensure_one()
        values = {
            "mes_planned_qty": progress.planned_qty,
            "mes_reported_qty": progress.reported_qty,
            "mes_planned_start": progress.planned_start,
            "mes_planned_end": progress.planned_end,
            "mes_reported_date": progress.reported_at,
        }
        self.sudo().write({key: value for key, value in values.items() if value is not None})
