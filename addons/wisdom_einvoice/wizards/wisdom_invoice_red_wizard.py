from odoo import api, fields, models
from odoo.fields import Command

from ..models.wisdom_invoice_request_red import RED_REASONS


class WisdomInvoiceRedWizard(models.TransientModel):
    """Finance picks the reason and, for a return or a discount, the quantities to reverse."""

    _name = "wisdom.invoice.red.wizard"
    _description = "Red Invoice"

    request_id = fields.Many2one("wisdom.invoice.request", required=True, readonly=True, ondelete="cascade")
    reason = fields.Selection(RED_REASONS, required=True, default="2")
    partial = fields.Boolean(string="Partial", help="Only for a sales return or a sales discount.")
    line_ids = fields.One2many("wisdom.invoice.red.wizard.line", "wizard_id", string="Lines")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        request = self.env["wisdom.invoice.request"].browse(
            values.get("request_id") or self.env.context.get("active_id")
        )
        if request:
            remaining = request._wisdom_red_remaining()
            values["request_id"] = request.id
            values["line_ids"] = [
                Command.create(
                    {"blue_line_id": line.id, "remaining_qty": remaining[line.id], "quantity": remaining[line.id]}
                )
                for line in request.line_ids
            ]
        return values

    def action_confirm(self):
        self.ensure_one()
        quantities = {line.blue_line_id.id: line.quantity for line in self.line_ids} if self.partial else None
        red_id = self.request_id.action_create_red(self.reason, quantities)
        return {
            "type": "ir.actions.act_window",
            "res_model": "wisdom.invoice.request",
            "res_id": red_id,
            "view_mode": "form",
            "target": "current",
        }


class WisdomInvoiceRedWizardLine(models.TransientModel):
    _name = "wisdom.invoice.red.wizard.line"
    _description = "Red Invoice Line"

    wizard_id = fields.Many2one("wisdom.invoice.red.wizard", required=True, ondelete="cascade")
    blue_line_id = fields.Many2one("wisdom.invoice.request.line", string="Invoice Line", required=True, readonly=True)
    remaining_qty = fields.Float(string="Not Yet Reversed", readonly=True, digits="Product Unit")
    quantity = fields.Float(string="Quantity to Reverse", digits="Product Unit")
