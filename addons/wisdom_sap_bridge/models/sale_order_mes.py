import logging

from odoo import api, fields, models

from odoo.addons.wisdom_crm_base.models.res_users import GROUP_INTEGRATION_ADMIN

from ..tools import mes

_logger = logging.getLogger(__name__)

MES_STATES = [
    ("not_sent", "Not sent"),
    ("queued", "Queued"),
    ("retrying", "Waiting for MES"),
    ("error", "Refused"),
    ("done", "Planned in MES"),
]
MESSAGE_TO_MES_STATE = {"pending": "queued", "running": "queued", "failed": "retrying", "dead": "error", "done": "done"}
MES_STATUSES = [
    ("planned", "Planned"),
    ("released", "Released"),
    ("in_progress", "In Production"),
    ("done", "Produced"),
    ("cancelled", "Cancelled"),
]


class SaleOrder(models.Model):
    """A signed contract becomes a planned order in MES (queued: signing never waits for MES); MES reports
    progress back per contract line."""

    _inherit = "sale.order"

    mes_message_id = fields.Many2one(
        "wisdom.integration.message",
        string="MES Message",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=f"{GROUP_INTEGRATION_ADMIN},base.group_system",
    )
    mes_state = fields.Selection(
        MES_STATES, string="MES Transfer", compute="_compute_mes_state", store=True, index=True, tracking=True
    )
    mes_error = fields.Text(string="MES Error", compute="_compute_mes_state", store=True)
    mes_order_no = fields.Char(string="MES Order", readonly=True, copy=False, index="btree_not_null")
    mes_status = fields.Selection(MES_STATUSES, string="Production Status", readonly=True, copy=False, tracking=True)

    # COMPUTE METHODS

    @api.depends("mes_order_no", "mes_message_id.state", "mes_message_id.last_error")
    def _compute_mes_state(self):
        for order in self:
            message = order.sudo().mes_message_id
            if order.mes_order_no:
                order.mes_state, order.mes_error = "done", False
            elif not message:
                order.mes_state, order.mes_error = "not_sent", False
            else:
                order.mes_state = MESSAGE_TO_MES_STATE[message.state]
                order.mes_error = message.last_error if message.state in ("failed", "dead") else False

    # ACTION METHODS

    def action_confirm(self):
        result = super().action_confirm()
        self.filtered(lambda o: o.state == "sale")._wisdom_mes_queue_orders()
        return result

    # BUSINESS METHODS

    def _wisdom_mes_queue_orders(self):
        """Queue one planned order per contract (the contract number is the idempotency key); nothing
        without an active MES endpoint."""
        Message = self.env["wisdom.integration.message"].sudo()
        endpoint = self.env["wisdom.integration.endpoint"].sudo().search([("system", "=", "mes")], limit=1)
        if not endpoint:
            return Message
        messages = Message
        for order in self.sudo().filtered(lambda o: not o.mes_message_id and not o.mes_order_no and o.contract_no):
            order.mes_message_id = Message.wisdom_enqueue(
                "mes",
                "production_order_create",
                {"order_id": order.id, "reference": order.contract_no},
                record=order,
                idempotency_key=f"sale.order:{order.contract_no}",
                endpoint=endpoint,
            )
            messages |= order.mes_message_id
        return messages

    def _wisdom_mes_order_values(self, reference):
        self.ensure_one()
        due = fields.Date.to_string(
            fields.Date.to_date(self.delivery_date or self.commitment_date or self.signed_date or fields.Date.today())
        )
        lines = self.order_line.filtered(lambda line: not line.display_type and line.product_id)
        return mes.ProductionOrder(
            reference=reference,
            contract=self.contract_no or self.name,
            customer=self.partner_id.commercial_partner_id.display_name or "",
            due_date=due,
            lines=tuple(
                mes.OrderLine(
                    line_ref=mes.line_ref(line.id),
                    material=line.product_id.default_code or "",
                    name=line.product_id.name or line.name or "",
                    quantity=line.product_uom_qty,
                )
                for line in lines
            ),
        )

    def _wisdom_mes_apply(self, progress):
        """Write a ``tools.mes.Progress`` (the answer to the planned order, or a report MES pushed)."""
        self.ensure_one()
        order = self.sudo()
        values = {"mes_order_no": progress.order_id}
        if progress.status:
            values["mes_status"] = progress.status
        order.write(values)
        lines = {line.id: line for line in order.order_line}
        unknown = []
        for item in progress.lines:
            line = lines.get(mes.line_id(item.line_ref))
            if line:
                line._wisdom_mes_apply(item)
            else:
                unknown.append(item.line_ref)
        return unknown

    def _wisdom_integration_done(self, message, response):
        """MES planned the order: its number, status and planned figures are written on the contract."""
        if message.system != "mes" or message.operation != "production_order_create":
            return super()._wisdom_integration_done(message, response)
        self.ensure_one()
        config = message.endpoint_id.sudo()._wisdom_mes_config()
        self._wisdom_mes_apply(mes.parse_progress(response["order"], config))
        self.sudo().message_post(
            body=self.env._("Planned order %(number)s created in MES.", number=response["order_id"])
        )
        return True

    def _wisdom_timeline(self):
        events = super()._wisdom_timeline()
        order = self.sudo()
        lines = order.order_line.filtered("mes_planned_qty")
        if not order.mes_order_no or not lines:
            return events
        planned, reported = sum(lines.mapped("mes_planned_qty")), sum(lines.mapped("mes_reported_qty"))
        ends = [d for d in lines.mapped("mes_planned_end") if d]
        starts = [d for d in lines.mapped("mes_planned_start") if d]
        if starts:
            events.append((min(starts), self.env._("Production starts"), f"{order.mes_order_no} {planned:,.2f}"))
        if ends:
            events.append((max(ends), self.env._("Production planned to end"), order.mes_order_no))
        reported_dates = [d for d in lines.mapped("mes_reported_date") if d]
        if reported_dates:
            events.append((max(reported_dates), self.env._("Production reported"), f"{reported:,.2f} / {planned:,.2f}"))
        return sorted(events, key=lambda e: e[0])
