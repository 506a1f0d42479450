import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.wisdom_crm_base.models.res_users import GROUP_INTEGRATION_ADMIN

from ..tools import sap

_logger = logging.getLogger(__name__)

SAP_STATES = [
    ("not_sent", "Not sent"),
    ("queued", "Queued"),
    ("retrying", "Waiting for SAP"),
    ("error", "Refused"),
    ("done", "Created in SAP"),
]
MESSAGE_TO_SAP_STATE = {"pending": "queued", "running": "queued", "failed": "retrying", "dead": "error", "done": "done"}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    sap_message_id = fields.Many2one(
        "wisdom.integration.message",
        string="SAP Message",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=f"{GROUP_INTEGRATION_ADMIN},base.group_system",
    )
    sap_state = fields.Selection(
        SAP_STATES,
        string="SAP Transfer",
        compute="_compute_sap_state",
        store=True,
        index=True,
        tracking=True,
        help="The sales order in SAP: queued after confirmation, retried while SAP is unreachable, refused when "
        "SAP answers with an error (see SAP Error).",
    )
    sap_error = fields.Text(string="SAP Error", compute="_compute_sap_state", store=True)

    # COMPUTE METHODS

    @api.depends("sap_order_no", "sap_message_id.state", "sap_message_id.last_error")
    def _compute_sap_state(self):
        for order in self:
            message = order.sudo().sap_message_id
            if order.sap_order_no:
                order.sap_state, order.sap_error = "done", False
            elif not message:
                order.sap_state, order.sap_error = "not_sent", False
            else:
                order.sap_state = MESSAGE_TO_SAP_STATE[message.state]
                order.sap_error = message.last_error if message.state in ("failed", "dead") else False

    # ACTION METHODS

    def action_confirm(self):
        result = super().action_confirm()
        # Queued, never sent in the user's transaction: signing does not wait for SAP nor fail with it.
        confirmed = self.filtered(lambda o: o.state == "sale")
        confirmed.partner_id.commercial_partner_id.filtered(
            lambda p: not p.sap_customer_no
        )._wisdom_sap_queue_customers()
        confirmed._wisdom_sap_queue_orders()
        return result

    def action_wisdom_sap_send(self):
        """Contract admin / integration admin: send a confirmed contract to SAP (again after a refusal)."""
        if not self._wisdom_user_edits_erp_numbers():
            raise AccessError(self.env._("Only the contract admin or the integration admin sends contracts to SAP."))
        for order in self:
            if order.state != "sale" or order.sap_order_no:
                raise UserError(self.env._("%s is not a confirmed contract waiting for SAP.", order.name))
        self._wisdom_sap_queue_orders(retry=True)
        if not self.sudo().sap_message_id:
            raise UserError(self.env._("No active SAP endpoint is configured: ask the integration admin."))
        return True

    # BUSINESS METHODS

    def _wisdom_sap_queue_orders(self, retry=False):
        """Queue one SAP sales order per contract (idempotent: the contract number is the key).

        :return: the queued ``wisdom.integration.message`` records
        """
        Message = self.env["wisdom.integration.message"].sudo()
        endpoint = (
            self.env["wisdom.integration.endpoint"]
            .sudo()
            .search([("system", "=", "sap"), ("active", "=", True)], limit=1)
        )
        if not endpoint:
            _logger.info("No active SAP endpoint: contracts %s are not sent to SAP", self.ids)
            return Message
        messages = Message
        for order in self.sudo().filtered(lambda o: not o.sap_order_no and o.contract_no):
            message = order.sap_message_id
            if not message:
                message = Message.wisdom_enqueue(
                    "sap",
                    "sales_order_create",
                    {"order_id": order.id, "reference": order.contract_no},
                    record=order,
                    idempotency_key=f"sale.order:{order.contract_no}",
                    endpoint=endpoint,
                )
                order.sap_message_id = message
            elif retry and message.state in ("failed", "dead"):
                message.action_retry()
            messages |= message
        return messages

    def _wisdom_sap_order_values(self):
        """The contract as a ``tools.sap.SalesOrder``; a clear error when SAP could not take it."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        # Without a customer function, SAP's customer numbers are the CRM's customer codes.
        customer_number = partner.sap_customer_no or (
            not self.env["wisdom.sap.function"]._wisdom_for("customer_maintain", self.company_id)
            and partner.customer_code
        )
        if not customer_number:
            raise UserError(self.env._("The customer %s has no SAP customer number.", partner.display_name))
        lines = self._wisdom_sap_lines()
        missing = lines.filtered(lambda line: not line.product_id.default_code).product_id
        if missing:
            raise UserError(
                self.env._("These products have no material code: %s", ", ".join(missing.mapped("display_name")))
            )
        signed = self.signed_date or fields.Date.context_today(self)
        requested = self.delivery_date or self.commitment_date or signed
        return sap.SalesOrder(
            reference=self.contract_no,
            customer_number=customer_number,
            currency=self.currency_id.name,
            reference_date=fields.Date.to_string(signed),
            requested_date=fields.Date.to_string(fields.Date.to_date(requested)),
            lines=tuple(
                sap.OrderLine(
                    material=line.product_id.default_code,
                    quantity=line.product_uom_qty,
                    unit_price=line.price_unit * (1 - (line.discount or 0.0) / 100.0),
                    description=line.product_id.name or "",
                )
                for line in lines
            ),
        )

    def _wisdom_sap_lines(self):
        """The contract lines that are items of the SAP order, in SAP's item order."""
        self.ensure_one()
        return self.order_line.filtered(lambda line: not line.display_type and line.product_id)

    def _wisdom_sap_item_numbers(self):
        """``{sale.order.line id: SAP item number}`` (000010, 000020… as the order was sent)."""
        return {line.id: sap.item_number(index) for index, line in enumerate(self._wisdom_sap_lines())}

    def _wisdom_integration_done(self, message, response):
        """SAP created (or already had) the order: its number is written back on the contract."""
        self.ensure_one()
        if message.system != "sap" or message.operation != "sales_order_create":
            # another bridge's answer for the same record (e.g. Qichacha's re-check of a customer)
            parent = super()
            return (
                parent._wisdom_integration_done(message, response)
                if hasattr(parent, "_wisdom_integration_done")
                else False
            )
        number = response["sales_document"]
        self.sudo().write({"sap_order_no": number})
        self.sudo().message_post(
            body=self.env._(
                "Sales order %(number)s created in SAP for contract %(contract)s.",
                number=number,
                contract=self.contract_no,
            )
        )
        return True
