from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import float_compare

# context key set by the action methods: the status changes through them only
STATE_KEY = "wisdom_shipment_step"
# Extension point for an ERP bridge (e.g. wisdom_sap_bridge): add its step with
# ``state = fields.Selection(selection_add=[("sent", "Sent to SAP"), ("shipped",)], ondelete=...)``, a
# button that moves ``approved`` requests to it, and extend ``_wisdom_shippable_states()`` so that the
# shipped quantities are confirmed from there. Without a bridge there is no such step.
STATES = [
    ("draft", "Draft"),
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("shipped", "Shipped"),
    ("cancel", "Cancelled"),
]


class WisdomShipmentRequest(models.Model):
    _name = "wisdom.shipment.request"
    _description = "Shipment Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    order_id = fields.Many2one(
        "sale.order", string="Contract", required=True, index=True, ondelete="cascade", domain=[("state", "=", "sale")]
    )
    partner_id = fields.Many2one(related="order_id.partner_id", store=True, string="Customer")
    user_id = fields.Many2one(related="order_id.user_id", store=True, string="Sales Rep")
    team_id = fields.Many2one(related="order_id.team_id", store=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, tracking=True, index=True)
    line_ids = fields.One2many("wisdom.shipment.request.line", "request_id", string="Lines", copy=True)
    requested_date = fields.Date(string="Requested Ship Date", tracking=True)
    ship_date = fields.Date(string="Shipped On", tracking=True, copy=False)
    override_reason = fields.Text(string="Override Reason", tracking=True, copy=False)
    overridden_by_id = fields.Many2one("res.users", string="Overridden By", readonly=True, copy=False)
    sap_delivery_no = fields.Char(string="SAP Delivery No.", copy=False, tracking=True)
    shipped_value = fields.Monetary(string="Shipped Value", compute="_compute_values", store=True)
    requested_value = fields.Monetary(string="Requested Value", compute="_compute_values", store=True)
    shipment_confirmable = fields.Boolean(string="Shipment Can Be Confirmed", compute="_compute_shipment_confirmable")

    # COMPUTE METHODS

    @api.depends("state")
    def _compute_shipment_confirmable(self):
        states = self._wisdom_shippable_states()
        for request in self:
            request.shipment_confirmable = request.state in states

    @api.depends("line_ids.quantity", "line_ids.shipped_qty", "line_ids.sale_line_id")
    def _compute_values(self):
        for request in self:
            request.requested_value = sum(line.quantity * line._wisdom_unit_value() for line in request.line_ids)
            request.shipped_value = sum(line.shipped_qty * line._wisdom_unit_value() for line in request.line_ids)

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("wisdom.shipment.request") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if {"state", "overridden_by_id"} & set(vals) and not self.env.context.get(STATE_KEY):
            raise UserError(self.env._("Use the buttons of the shipment request to change its status."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(r.state not in ("draft", "cancel") for r in self):
            raise UserError(self.env._("Only draft or cancelled shipment requests can be deleted."))

    # ACTION METHODS

    def action_request(self):
        for request in self:
            request._wisdom_check_state("draft")
            request._wisdom_check_quantities()
            if not request.overridden_by_id:
                failures = [r for r in request.order_id._wisdom_shipment_check() if not r.passed]
                if failures:
                    raise UserError(
                        self.env._(
                            "The contract may not ship yet:\n%(reasons)s",
                            reasons="\n".join(f"- {request.order_id._wisdom_reason_text(r)}" for r in failures),
                        )
                    )
            request.with_context(wisdom_shipment_step=True).state = "requested"
        return True

    def action_override(self, reason):
        """A director lets a request through although conditions fail; the reason is logged."""
        if not self.env.user.has_group("wisdom_crm_base.group_wisdom_director"):
            raise UserError(self.env._("Only a sales director may override the shipping conditions."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give a reason for overriding the shipping conditions."))
        for request in self:
            request._wisdom_check_state("draft")
            request.with_context(wisdom_shipment_step=True).write(
                {"override_reason": reason, "overridden_by_id": self.env.uid}
            )
            request.message_post(
                body=self.env._(
                    "Shipping conditions overridden by %(user)s: %(reason)s", user=self.env.user.name, reason=reason
                )
            )
        return self.action_request()

    def action_override_from_form(self):
        self.ensure_one()
        return self.action_override(self.override_reason)

    def action_approve(self):
        if not (
            self.env.user.has_group("wisdom_crm_base.group_wisdom_manager")
            or self.env.user.has_group("wisdom_crm_base.group_wisdom_contract_admin")
        ):
            raise UserError(self.env._("Only a sales manager, director or the contract admin approves shipments."))
        for request in self:
            request._wisdom_check_state("requested")
            request.with_context(wisdom_shipment_step=True).state = "approved"
        return True

    def action_confirm_shipped(self, ship_date=None):
        """Quantities and date confirmed (partial allowed): delivered quantities and the plan follow."""
        for request in self:
            request._wisdom_check_state(*request._wisdom_shippable_states())
            request._wisdom_check_quantities(shipped=True)
            if not any(line.shipped_qty for line in request.line_ids):
                raise UserError(self.env._("Enter the quantities that were shipped."))
            request.with_context(wisdom_shipment_step=True).write(
                {
                    "state": "shipped",
                    "ship_date": ship_date or request.ship_date or fields.Date.context_today(request),
                }
            )
            for line in request.line_ids.filtered("shipped_qty"):
                line.sale_line_id.sudo().qty_delivered += line.shipped_qty
            request.order_id.sudo()._wisdom_sync_collection_plan()
        return True

    def action_cancel(self):
        for request in self:
            if request.state == "shipped":
                raise UserError(self.env._("A shipped request cannot be cancelled."))
            request.with_context(wisdom_shipment_step=True).state = "cancel"
        return True

    def action_draft(self):
        for request in self:
            request._wisdom_check_state("cancel")
            request.with_context(wisdom_shipment_step=True).state = "draft"
        return True

    # BUSINESS METHODS

    @api.model
    def _wisdom_shippable_states(self):
        """States from which the shipped quantities are confirmed; an ERP bridge adds its own step."""
        return ("approved",)

    def _wisdom_check_state(self, *states):
        self.ensure_one()
        if self.state not in states:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Shipment request %(name)s is %(state)s: this step is not possible.",
                    name=self.name,
                    state=labels[self.state],
                )
            )

    def _wisdom_check_quantities(self, shipped=False):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("Add the contract lines and quantities to ship."))
        for line in self.line_ids:
            open_qty = line.sale_line_id.product_uom_qty - line.sale_line_id.qty_delivered
            qty = line.shipped_qty if shipped else line.quantity
            if qty < 0 or (not shipped and qty <= 0):
                raise UserError(self.env._("Quantities to ship must be above zero."))
            if shipped and qty > line.quantity:
                raise UserError(self.env._("%(product)s: more shipped than requested.", product=line.sale_line_id.name))
            if float_compare(qty, open_qty, precision_rounding=line.sale_line_id.product_uom_id.rounding or 0.01) > 0:
                raise UserError(
                    self.env._(
                        "%(product)s: %(qty)s exceeds the %(open)s still to ship.",
                        product=line.sale_line_id.name,
                        qty=qty,
                        open=open_qty,
                    )
                )

    @api.model
    def _wisdom_default_lines(self, order):
        return [
            Command.create({"sale_line_id": line.id, "quantity": line.product_uom_qty - line.qty_delivered})
            for line in order.order_line
            if not line.display_type and line.product_uom_qty > line.qty_delivered
        ]


class WisdomShipmentRequestLine(models.Model):
    _name = "wisdom.shipment.request.line"
    _description = "Shipment Request Line"

    request_id = fields.Many2one("wisdom.shipment.request", required=True, ondelete="cascade", index=True)
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Contract Line",
        required=True,
        ondelete="cascade",
        domain="[('order_id', '=', parent.order_id), ('display_type', '=', False)]",
    )
    product_id = fields.Many2one(related="sale_line_id.product_id")
    ordered_qty = fields.Float(related="sale_line_id.product_uom_qty", string="Ordered")
    delivered_qty = fields.Float(related="sale_line_id.qty_delivered", string="Delivered")
    quantity = fields.Float(string="To Ship", digits="Product Unit")
    shipped_qty = fields.Float(
        string="Shipped",
        digits="Product Unit",
        compute="_compute_shipped_qty",
        store=True,
        readonly=False,
        precompute=True,
        help="What was actually shipped: the quantity to ship unless less went out.",
    )

    @api.depends("quantity")
    def _compute_shipped_qty(self):
        for line in self:
            line.shipped_qty = line.quantity

    def _wisdom_unit_value(self):
        """Value of one unit in the contract total (taxes included, like the plan)."""
        line = self.sale_line_id
        return line.price_total / line.product_uom_qty if line.product_uom_qty else 0.0
