from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import money, shipment_gate


class SaleOrder(models.Model):
    """The contract's fulfilment: shipments, the shipping gate and the timeline.

    The collection plan is in ``sale_order_plan.py``, the execution figures in ``sale_order_execution.py``."""

    _inherit = "sale.order"

    acceptance_date = fields.Date(
        string="Acceptance Date",
        copy=False,
        tracking=True,
        help="Customer acceptance (验收); anchors acceptance instalments and the warranty.",
    )
    plan_line_ids = fields.One2many("wisdom.collection.plan.line", "order_id", string="Collection Plan", copy=False)
    shipment_request_ids = fields.One2many(
        "wisdom.shipment.request", "order_id", string="Shipment Requests", copy=False
    )
    shipment_request_count = fields.Integer(compute="_compute_shipment_status", string="Shipment Requests Count")
    shipment_allowed = fields.Boolean(string="May Ship", compute="_compute_shipment_status")
    shipment_check_html = fields.Html(string="Shipping Conditions", compute="_compute_shipment_status", sanitize=False)
    timeline_html = fields.Html(string="Contract Timeline", compute="_compute_timeline_html", sanitize=False)

    # COMPUTE METHODS

    @api.depends(
        "state", "payment_term_line_ids", "archive_complete", "plan_line_ids.paid_amount", "partner_id", "contract_type"
    )
    def _compute_shipment_status(self):
        for order in self:
            order.shipment_request_count = len(order.shipment_request_ids)
            if order.state != "sale":
                order.shipment_allowed = False
                order.shipment_check_html = False
                continue
            results = order._wisdom_shipment_check()
            order.shipment_allowed = shipment_gate.allowed(results)
            items = Markup("").join(
                Markup('<li class="%s">%s %s</li>')
                % (
                    "text-success" if r.passed else "text-danger",
                    "✔" if r.passed else "✘",
                    order._wisdom_reason_text(r),
                )
                for r in results
            )
            head = self.env._("May ship") if order.shipment_allowed else self.env._("May not ship")
            order.shipment_check_html = Markup("<strong>%s</strong><ul>%s</ul>") % (head, items)

    @api.depends("signed_date", "shipment_request_ids.state", "invoice_ids.state", "plan_line_ids.allocation_ids")
    def _compute_timeline_html(self):
        for order in self:
            events = order._wisdom_timeline()
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>") % (date, label, detail)
                for date, label, detail in events
            )
            order.timeline_html = (
                Markup('<table class="table table-sm"><tbody>%s</tbody></table>') % rows if rows else False
            )

    # CRUD

    def write(self, vals):
        result = super().write(vals)
        if {"acceptance_date", "signed_date", "warranty_months"} & set(vals) and not self.env.context.get(
            "wisdom_plan_sync_deferred"
        ):
            self.filtered(lambda o: o.state == "sale").sudo()._wisdom_sync_collection_plan()
        return result

    # ACTION METHODS

    def action_confirm(self):
        # confirming writes the signed date: the plan is built once, after the confirmation
        result = super(SaleOrder, self.with_context(wisdom_plan_sync_deferred=True)).action_confirm()
        self.filtered(lambda o: o.state == "sale").sudo()._wisdom_sync_collection_plan()
        return result

    def _action_cancel(self):
        """A cancelled contract expects no more money: its uncollected instalments go away
        (instalments with collections stay, for the record)."""
        result = super()._action_cancel()
        self.sudo().plan_line_ids.filtered(lambda line: not line.allocation_ids).unlink()
        return result

    def action_wisdom_new_shipment(self):
        self.ensure_one()
        if self.state != "sale":
            raise UserError(self.env._("Only a signed contract can ship."))
        request = self.env["wisdom.shipment.request"].create(
            {
                "order_id": self.id,
                "line_ids": self.env["wisdom.shipment.request"]._wisdom_default_lines(self),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "wisdom.shipment.request",
            "res_id": request.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_wisdom_view_shipments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("wisdom_fulfillment.action_wisdom_shipment_request")
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_order_id": self.id}
        return action

    def action_wisdom_view_plan(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("wisdom_fulfillment.action_wisdom_plan_line")
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_wisdom_regenerate_plan(self):
        self._wisdom_sync_collection_plan()
        return True

    # BUSINESS METHODS: shipment gate

    def _wisdom_shipment_facts(self):
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id.sudo()
        lines = (
            self.env["wisdom.collection.plan.line"]
            .sudo()
            .search([("partner_id", "=", customer.id), ("order_id.state", "=", "sale")] + money.outstanding_domain())
        )
        today = fields.Date.context_today(self)
        company = self.company_id or self.env.company
        receivable, overdue_lines = lines._wisdom_open_in_company_currency(company, today)
        prepayment = sum(t.percent for t in self.payment_term_line_ids if t.kind == "prepayment")
        limit = customer._wisdom_credit_limit(company)
        return shipment_gate.Facts(
            approved=self.state == "sale" and self.validation_status in ("no", "validated"),
            signed=bool(self.signed_date),
            archive_complete=self.archive_complete,
            contract_total=self.amount_total,
            collected=sum(self.sudo().plan_line_ids.mapped("paid_amount")),
            prepayment_percent=prepayment,
            credit_limit=limit,
            customer_receivable=receivable,
            overdue_lines=overdue_lines,
        )

    def _wisdom_shipment_check(self):
        """Results of the shipping conditions of this contract's type, in order."""
        self.ensure_one()
        conditions = self.env["wisdom.shipment.condition"].sudo()._wisdom_for(self.contract_type)
        pure = [shipment_gate.Condition(c.kind, c.name, c.percent, c.days, c.amount, c.id) for c in conditions]
        return shipment_gate.check(pure, self._wisdom_shipment_facts())

    def _wisdom_reason_text(self, result):
        p = result.params
        texts = {
            "approved": self.env._("Contract approved and signed"),
            "not_approved": self.env._("The contract is not approved yet"),
            "not_signed": self.env._("The contract has no signing date"),
            "archived": self.env._("Signed original archived"),
            "not_archived": self.env._("The signed original is not archived yet"),
            "prepayment_received": self.env._(
                "Prepayment received: %(received)s%% (required %(required)s%%)",
                received=p.get("received"),
                required=p.get("required"),
            ),
            "prepayment_missing": self.env._(
                "Prepayment missing: %(received)s%% received, %(required)s%% required",
                received=p.get("received"),
                required=p.get("required"),
            ),
            "no_credit_limit": self.env._("No credit limit set for the customer"),
            "within_credit_limit": self.env._(
                "Receivable %(receivable)s within the credit limit %(limit)s",
                receivable=p.get("receivable"),
                limit=p.get("limit"),
            ),
            "over_credit_limit": self.env._(
                "Receivable %(receivable)s over the credit limit %(limit)s",
                receivable=p.get("receivable"),
                limit=p.get("limit"),
            ),
            "no_overdue": self.env._("No overdue collections beyond %(days)s days", days=p.get("days")),
            "overdue": self.env._(
                "Overdue collections of %(amount)s beyond %(days)s days (up to %(max_days)s days late)",
                amount=p.get("amount"),
                days=p.get("days"),
                max_days=p.get("max_days"),
            ),
        }
        return texts[result.reason]

    # BUSINESS METHODS: timeline

    def _wisdom_timeline(self):
        self.ensure_one()
        order = self.sudo()
        events = []
        if order.signed_date:
            events.append((order.signed_date, self.env._("Signed"), order.contract_no or order.name))
        for request in order.shipment_request_ids.filtered(lambda r: r.state == "shipped"):
            events.append((request.ship_date, self.env._("Shipped"), f"{request.name} {request.shipped_value:,.2f}"))
        for move in order.invoice_ids.filtered(lambda m: m.state == "posted"):
            events.append((move.invoice_date, self.env._("Invoiced"), f"{move.name} {move.amount_total:,.2f}"))
        for allocation in order.plan_line_ids.allocation_ids.filtered(lambda a: a.state == "posted"):
            events.append(
                (allocation.date, self.env._("Collected"), f"{allocation.payment_id.name} {allocation.amount:,.2f}")
            )
        if order.acceptance_date:
            events.append((order.acceptance_date, self.env._("Accepted"), ""))
        return sorted((e for e in events if e[0]), key=lambda e: e[0])
