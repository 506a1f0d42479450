from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from odoo.addons.wisdom_crm_base.tools import integration

from ..tools import sap, sap_inbound

# The SAP step of shipment requests. Not "sent": wisdom_fulfillment's tests check that it has no such
# step of its own (its former "sent to SAP" state was migrated back to "approved").
SENT = "sap_sent"


class WisdomShipmentRequest(models.Model):
    """The ERP step of wisdom_fulfillment's shipment requests: an approved request is sent to SAP as an
    outbound delivery of the contract's SAP order, and its shipped quantities are then confirmed."""

    _inherit = "wisdom.shipment.request"

    state = fields.Selection(
        selection_add=[(SENT, "Sent to SAP"), ("shipped",)],
        ondelete={SENT: lambda requests: requests.with_context(wisdom_shipment_step=True).write({"state": "approved"})},
    )
    sap_message_id = fields.Many2one(
        "wisdom.integration.message",
        string="SAP Delivery Message",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="wisdom_crm_base.group_wisdom_integration_admin,base.group_system",
    )
    sap_delivery_state = fields.Selection(
        [("queued", "Queued"), ("retrying", "Waiting for SAP"), ("error", "Refused"), ("done", "Created in SAP")],
        string="SAP Delivery",
        compute="_compute_sap_delivery_state",
        store=True,
        tracking=True,
    )
    sap_delivery_error = fields.Text(string="SAP Delivery Error", compute="_compute_sap_delivery_state", store=True)

    # COMPUTE METHODS

    @api.depends("sap_delivery_no", "sap_message_id.state", "sap_message_id.last_error")
    def _compute_sap_delivery_state(self):
        states = {"pending": "queued", "running": "queued", "failed": "retrying", "dead": "error", "done": "done"}
        for request in self:
            message = request.sudo().sap_message_id
            if request.sap_delivery_no:
                request.sap_delivery_state, request.sap_delivery_error = "done", False
            elif not message:
                request.sap_delivery_state, request.sap_delivery_error = False, False
            else:
                request.sap_delivery_state = states[message.state]
                request.sap_delivery_error = message.last_error if message.state in ("failed", "dead") else False

    # ACTION METHODS

    def action_wisdom_sap_send_delivery(self):
        """Hand approved requests to SAP: the delivery is queued, the request waits in "Sent to SAP" for
        its shipped quantities (shipping is never blocked by SAP: they can be confirmed at once)."""
        if not (
            self.env.user.has_group("wisdom_crm_base.group_wisdom_manager")
            or self.env.user.has_group("wisdom_crm_base.group_wisdom_contract_admin")
        ):
            raise UserError(self.env._("Only a sales manager, director or the contract admin sends shipments to SAP."))
        endpoint = self._wisdom_sap_endpoint()
        if not endpoint:
            raise UserError(self.env._("No active SAP endpoint is configured: ask the integration admin."))
        for request in self:
            request._wisdom_check_state("approved", SENT)
            if request.state == "approved":
                request.with_context(wisdom_shipment_step=True).state = SENT
            request._wisdom_sap_queue_delivery(endpoint)
        return True

    # BUSINESS METHODS

    @api.model
    def _wisdom_shippable_states(self):
        return (*super()._wisdom_shippable_states(), SENT)

    @api.model
    def _wisdom_sap_endpoint(self):
        return (
            self.env["wisdom.integration.endpoint"]
            .sudo()
            .search([("system", "=", "sap"), ("active", "=", True)], limit=1)
        )

    def _wisdom_sap_queue_delivery(self, endpoint):
        """Queue the delivery once per request (again after a refusal, with the same message).

        :return: the queued ``wisdom.integration.message``"""
        self.ensure_one()
        request = self.sudo()
        message = request.sap_message_id
        if not message:
            message = (
                self.env["wisdom.integration.message"]
                .sudo()
                .wisdom_enqueue(
                    "sap",
                    "delivery_create",
                    {"request_id": request.id, "reference": request.name},
                    record=request,
                    idempotency_key=f"wisdom.shipment.request:{request.name}",
                    endpoint=endpoint,
                )
            )
            request.sap_message_id = message
        elif message.state in ("failed", "dead"):
            message.action_retry()
        return message

    def _wisdom_sap_delivery_values(self):
        """The request as a ``tools.sap.Delivery`` against the contract's SAP order."""
        self.ensure_one()
        items = self.order_id._wisdom_sap_item_numbers()
        return sap.Delivery(
            reference=self.name,
            order_number=self.order_id.sap_order_no,
            due_date=fields.Date.to_string(self.requested_date or fields.Date.context_today(self)),
            lines=tuple(
                sap.DeliveryLine(items[line.sale_line_id.id], line.quantity)
                for line in self.line_ids
                if line.quantity and line.sale_line_id.id in items
            ),
        )

    def _wisdom_integration_done(self, message, response):
        """SAP created (or already had) the delivery: its number is kept on the request."""
        self.ensure_one()
        if message.system != "sap" or message.operation != "delivery_create":
            # another bridge's answer for the same record (e.g. Qichacha's re-check of a customer)
            parent = super()
            return (
                parent._wisdom_integration_done(message, response)
                if hasattr(parent, "_wisdom_integration_done")
                else False
            )
        self.sudo().sap_delivery_no = response["delivery"]
        return True

    # SAP INBOUND (goods issue of a delivery)

    @api.model
    def _wisdom_sap_record_delivery(self, delivery):
        """Record a ``tools.sap_inbound.Delivery`` (SAP posted its goods issue): the shipment request SAP
        knows by that delivery number, or a new one for a delivery made in SAP, is confirmed shipped with
        SAP's quantities, so that the contract's delivered quantities and shipped percent follow.

        :return: the shipment request"""
        order = self._wisdom_sap_delivery_order(delivery)
        quantities = self._wisdom_sap_delivery_quantities(order, delivery)
        request = self._wisdom_sap_delivery_find(order, delivery)
        if request.state == "shipped":
            return request  # confirmed by hand in the CRM before SAP's goods issue arrived
        if not request:
            request = self._wisdom_sap_delivery_request(order, delivery, quantities)
        missing = set(quantities) - set(request.line_ids.sale_line_id.ids)
        if missing:
            raise UserError(
                self.env._(
                    "SAP delivery %(delivery)s ships contract lines that the shipment request %(request)s does not "
                    "have: %(lines)s",
                    delivery=delivery.document,
                    request=request.name,
                    lines=", ".join(self.env["sale.order.line"].browse(missing).mapped("name")),
                )
            )
        for line in request.line_ids:
            line.shipped_qty = quantities.get(line.sale_line_id.id, 0.0)
        request.action_confirm_shipped(ship_date=delivery.date)
        return request

    @api.model
    def _wisdom_sap_delivery_find(self, order, delivery):
        """The contract's shipment request of the delivery: by SAP's delivery number, else by the CRM
        reference SAP was given (its answer to the CRM may still be on its way)."""
        domain = [("sap_delivery_no", "in", sap_inbound.number_variants(delivery.document))]
        if delivery.reference:
            domain = ["|", ("name", "=", delivery.reference), *domain]
        request = self.sudo().search([("order_id", "=", order.id), *domain], limit=1)
        if request and not request.sap_delivery_no:
            request.sap_delivery_no = delivery.document
        return request

    @api.model
    def _wisdom_sap_delivery_order(self, delivery):
        order = (
            self.env["sale.order"]
            .sudo()
            .search([("sap_order_no", "in", sap_inbound.number_variants(delivery.order))], limit=1)
        )
        if not order:
            raise integration.BusinessError(
                self.env._(
                    "No contract has the SAP order number %(order)s (SAP delivery %(delivery)s).",
                    order=delivery.order,
                    delivery=delivery.document,
                )
            )
        return order

    @api.model
    def _wisdom_sap_delivery_quantities(self, order, delivery):
        """``{sale.order.line id: quantity}`` of SAP's items: by SAP item number when sent, else by the
        product's internal reference (the first contract line of that product that is still open)."""
        items = order._wisdom_sap_item_numbers()
        lines = order.order_line.filtered(lambda line: not line.display_type)
        quantities = {}
        for item in delivery.lines:
            if item.item:
                matches = lines.filtered(lambda line, item=item: sap_inbound.same_item(items.get(line.id), item.item))
            else:
                matches = lines.filtered(lambda line, item=item: line.product_id.default_code == item.material)
                matches = matches.filtered(lambda line: line.qty_delivered < line.product_uom_qty) or matches
            if not matches:
                raise integration.BusinessError(
                    self.env._(
                        "SAP delivery %(delivery)s ships %(item)s, which contract %(contract)s does not have.",
                        delivery=delivery.document,
                        item=item.item or item.material,
                        contract=order.name,
                    )
                )
            line = matches[0]
            quantities[line.id] = quantities.get(line.id, 0.0) + float(item.quantity)
        return quantities

    @api.model
    def _wisdom_sap_delivery_request(self, order, delivery, quantities):
        """A shipment request for a delivery made in SAP: the goods are gone, so it skips the request and
        approval steps (logged on the request)."""
        request = self.sudo().create(
            {
                "order_id": order.id,
                "requested_date": delivery.date,
                "sap_delivery_no": delivery.document,
                "line_ids": [
                    Command.create({"sale_line_id": line_id, "quantity": qty}) for line_id, qty in quantities.items()
                ],
            }
        )
        request.with_context(wisdom_shipment_step=True).state = "approved"
        request.message_post(
            body=self.env._(
                "Created from SAP delivery %(delivery)s, shipped in SAP on %(date)s.",
                delivery=delivery.document,
                date=delivery.date,
            )
        )
        return request

    def _wisdom_sap_delivery_answer(self):
        """What SAP is answered (JSON-serialisable): the request and the contract's delivered quantities."""
        self.ensure_one()
        return {
            "shipment_request": self.name,
            "shipment_request_id": self.id,
            "contract": self.order_id.name,
            "state": self.state,
            "lines": [
                {
                    "material": line.product_id.default_code or "",
                    "shipped": line.shipped_qty,
                    "delivered": line.sale_line_id.qty_delivered,
                    "ordered": line.sale_line_id.product_uom_qty,
                }
                for line in self.line_ids
            ],
            "shipped_percent": self.order_id.shipped_percent,
        }
