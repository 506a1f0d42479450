from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import sap

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
