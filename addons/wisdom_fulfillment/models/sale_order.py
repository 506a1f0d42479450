import logging

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import money, shipment_gate
from ..tools import plan as pure_plan

_logger = logging.getLogger(__name__)

EXECUTION_STATES = [
    ("not_started", "Not Started"),
    ("shipping", "Shipping"),
    ("invoicing", "Invoicing"),
    ("collecting", "Collecting"),
    ("retention", "Retention Only"),
    ("closed", "Closed"),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    acceptance_date = fields.Date(string="Acceptance Date", copy=False, tracking=True,
                                  help="Customer acceptance (验收); anchors acceptance instalments and the warranty.")
    plan_line_ids = fields.One2many("wisdom.collection.plan.line", "order_id", string="Collection Plan", copy=False)
    shipment_request_ids = fields.One2many("wisdom.shipment.request", "order_id", string="Shipment Requests",
                                           copy=False)
    shipment_request_count = fields.Integer(compute="_compute_shipment_status", string="Shipment Requests Count")
    shipment_allowed = fields.Boolean(string="May Ship", compute="_compute_shipment_status")
    shipment_check_html = fields.Html(string="Shipping Conditions", compute="_compute_shipment_status",
                                      sanitize=False)
    # Execution status (合同执行状态) -- names are part of the public API
    shipped_amount = fields.Monetary(string="Shipped Amount", compute="_compute_execution")
    shipped_percent = fields.Float(string="Shipped %", compute="_compute_execution")
    invoiced_amount = fields.Monetary(string="Invoiced Amount", compute="_compute_execution")
    invoiced_percent = fields.Float(string="Invoiced %", compute="_compute_execution")
    collected_amount = fields.Monetary(string="Collected Amount", compute="_compute_execution")
    collected_percent = fields.Float(string="Collected %", compute="_compute_execution")
    outstanding_amount = fields.Monetary(string="Outstanding", compute="_compute_execution",
                                         help="Everything planned and not yet collected or disposed of.")
    receivable_amount = fields.Monetary(string="Receivable", compute="_compute_execution",
                                        help="Due now: instalments whose event has happened and whose due date has "
                                             "come, not yet collected. Retention not yet due is not included.")
    overdue_amount = fields.Monetary(string="Overdue Amount", compute="_compute_execution")
    overdue_days = fields.Integer(string="Overdue Days", compute="_compute_execution")
    retention_outstanding = fields.Monetary(string="Retention Not Yet Due", compute="_compute_execution",
                                            help="Retention still to collect whose due date has not come; "
                                                 "it becomes receivable on its due date.")
    retention_due_date = fields.Date(string="Retention Due Date", compute="_compute_execution")
    next_plan_line_id = fields.Many2one("wisdom.collection.plan.line", string="Next Instalment",
                                        compute="_compute_execution")
    next_due_date = fields.Date(string="Next Due Date", compute="_compute_execution")
    execution_state = fields.Selection(EXECUTION_STATES, string="Execution Status", compute="_compute_execution")
    timeline_html = fields.Html(string="Contract Timeline", compute="_compute_timeline_html", sanitize=False)

    # COMPUTE METHODS

    @api.depends("order_line.qty_delivered", "order_line.price_total", "amount_total", "invoice_ids.state",
                 "plan_line_ids.residual", "plan_line_ids.paid_amount", "plan_line_ids.due_date")
    def _compute_execution(self):
        today = fields.Date.context_today(self)
        for order in self:
            total = order.amount_total
            # the figures of the whole contract, whoever is responsible for each instalment
            lines = order.sudo().plan_line_ids
            order.shipped_amount = sum(
                line.qty_delivered * line.price_total / line.product_uom_qty
                for line in order.order_line if line.product_uom_qty and not line.display_type)
            order.invoiced_amount = order._wisdom_invoiced_amount()
            order.collected_amount = sum(lines.mapped("paid_amount"))
            figures = lines._wisdom_figures(today)
            order.outstanding_amount = float(figures.outstanding)
            order.receivable_amount = float(figures.receivable)
            order.overdue_amount = float(figures.overdue)
            order.overdue_days = figures.overdue_days
            order.retention_outstanding = float(figures.retention_pending)
            order.retention_due_date = figures.retention_due_date or False
            open_lines = lines.filtered(lambda ln: money.outstanding(ln._wisdom_money_line()) > 0)
            retention = open_lines.filtered(lambda ln: ln.kind == money.RETENTION)
            upcoming = open_lines.filtered("due_date").sorted(lambda ln: (ln.due_date, ln.sequence, ln.id))[:1]
            order.next_plan_line_id = upcoming.id
            order.next_due_date = upcoming.due_date
            for name in ("shipped", "invoiced", "collected"):
                order[f"{name}_percent"] = round(100.0 * order[f"{name}_amount"] / total, 2) if total else 0.0
            order.execution_state = order._wisdom_execution_state(open_lines, retention)

    def _wisdom_execution_state(self, open_lines, retention):
        self.ensure_one()
        rounding = self.currency_id
        if self.state != "sale" or not (self.shipped_amount or self.invoiced_amount or self.collected_amount):
            return "not_started"
        if rounding.compare_amounts(self.shipped_amount, self.amount_total) < 0:
            return "shipping"
        if rounding.compare_amounts(self.invoiced_amount, self.amount_total) < 0:
            return "invoicing"
        if not open_lines:
            return "closed"
        return "retention" if open_lines == retention else "collecting"

    def _wisdom_invoiced_amount(self):
        self.ensure_one()
        moves = self.sudo().invoice_ids.filtered(lambda m: m.state == "posted")
        return sum(moves.filtered(lambda m: m.move_type == "out_invoice").mapped("amount_total")) - sum(
            moves.filtered(lambda m: m.move_type == "out_refund").mapped("amount_total"))

    @api.depends("state", "payment_term_line_ids", "archive_complete", "plan_line_ids.paid_amount",
                 "partner_id", "contract_type")
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
                Markup('<li class="%s">%s %s</li>') % (
                    "text-success" if r.passed else "text-danger", "✔" if r.passed else "✘",
                    order._wisdom_reason_text(r))
                for r in results)
            head = self.env._("May ship") if order.shipment_allowed else self.env._("May not ship")
            order.shipment_check_html = Markup("<strong>%s</strong><ul>%s</ul>") % (head, items)

    @api.depends("signed_date", "shipment_request_ids.state", "invoice_ids.state", "plan_line_ids.allocation_ids")
    def _compute_timeline_html(self):
        for order in self:
            events = order._wisdom_timeline()
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>") % (date, label, detail)
                for date, label, detail in events)
            order.timeline_html = Markup('<table class="table table-sm"><tbody>%s</tbody></table>') % rows \
                if rows else False

    # CRUD

    def write(self, vals):
        result = super().write(vals)
        if {"acceptance_date", "signed_date", "warranty_months"} & set(vals):
            self.filtered(lambda o: o.state == "sale").sudo()._wisdom_sync_collection_plan()
        return result

    # ACTION METHODS

    def action_confirm(self):
        result = super().action_confirm()
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
        request = self.env["wisdom.shipment.request"].create({
            "order_id": self.id,
            "line_ids": self.env["wisdom.shipment.request"]._wisdom_default_lines(self),
        })
        return {"type": "ir.actions.act_window", "res_model": "wisdom.shipment.request", "res_id": request.id,
                "view_mode": "form", "target": "current"}

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

    # BUSINESS METHODS: collection plan

    def _wisdom_first_invoice_dates(self):
        """{order id: date of its first posted customer invoice}, in one query."""
        if not self.ids:
            return {}
        rows = self.env.execute_query(SQL(
            """
            SELECT sol.order_id, MIN(move.invoice_date)
              FROM sale_order_line sol
              JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
              JOIN account_move_line aml ON aml.id = rel.invoice_line_id
              JOIN account_move move ON move.id = aml.move_id
             WHERE sol.order_id IN %s AND move.state = 'posted' AND move.move_type = 'out_invoice'
             GROUP BY sol.order_id
            """, tuple(self.ids)))
        return dict(rows)

    def _wisdom_plan_events(self, invoice_date=None):
        self.ensure_one()
        shipments = self.shipment_request_ids.filtered(lambda r: r.state == "shipped" and r.shipped_value)
        return pure_plan.Events(
            signing=self.signed_date or fields.Date.to_date(self.date_order),
            acceptance=self.acceptance_date or None,
            invoice=invoice_date or None,
            warranty_months=self.warranty_months or 0,
            shipments=tuple(
                pure_plan.Shipment(r.id, r.ship_date, pure_plan.to_decimal(r.shipped_value))
                for r in shipments.sorted(lambda r: (r.ship_date, r.id))),
        )

    def _wisdom_instalments(self):
        self.ensure_one()
        return [
            pure_plan.Instalment(term.id, term.kind, pure_plan.to_decimal(term.percent), term.days or 0)
            for term in self.payment_term_line_ids.sorted(lambda t: (t.sequence, t.id))
        ]

    def _wisdom_sync_collection_plan(self):
        """Create or re-anchor the collection plan of confirmed contracts (paid amounts never change).

        Set-based: one query for the invoice dates, one create for every new line, one chatter
        batch for the messages.
        """
        self.env.flush_all()
        invoice_dates = self._wisdom_first_invoice_dates()
        to_create, to_delete, messages = [], self.env["wisdom.collection.plan.line"], {}
        for order in self:
            instalments = order._wisdom_instalments()
            if not instalments:
                continue
            digits = order.currency_id.decimal_places
            try:
                targets = pure_plan.generate(pure_plan.to_decimal(order.amount_total), instalments,
                                             order._wisdom_plan_events(invoice_dates.get(order.id)), digits)
            except pure_plan.PlanError as error:
                raise UserError(self.env._("The collection plan of %(order)s cannot be built: %(error)s",
                                           order=order.name, error=str(error))) from error
            fixed = order.plan_line_ids.filtered("manual_split")
            targets = order._wisdom_deduct_fixed(targets, fixed, digits)
            stored = order.plan_line_ids - fixed
            existing = [
                pure_plan.ExistingLine(line.id, (line.term_line_id.id, line.shipment_id.id or None),
                                       pure_plan.to_decimal(line.amount),
                                       pure_plan.to_decimal(line.paid_amount + line.disposed_amount),
                                       line.due_date or None, line.anchor_date or None)
                for line in stored
            ]
            try:
                changes = pure_plan.reconcile(existing, targets, digits)
            except pure_plan.PlanError as error:
                raise UserError(self.env._(
                    "The collection plan of %(order)s cannot follow this change: more was collected than it "
                    "would plan (%(error)s).", order=order.name, error=str(error))) from error
            creates, deletes, message = order._wisdom_apply_plan_changes(changes)
            to_create += creates
            to_delete |= deletes
            if message:
                messages[order.id] = message
        to_delete.unlink()
        self.env["wisdom.collection.plan.line"].create(to_create)
        if messages:
            self.browse(list(messages))._message_log_batch(bodies=messages)

    def _wisdom_deduct_fixed(self, targets, fixed, digits):
        """Amounts split off by finance stay where finance put them: take them from their instalment."""
        for line in fixed:
            left = pure_plan.quantize(line.amount, digits)
            for target in reversed([t for t in targets if t.term_key == line.term_line_id.id]):
                cut = min(left, target.amount)
                target.amount -= cut
                left -= cut
        return targets

    def _wisdom_apply_plan_changes(self, changes):
        """Write the updates; return the lines to create and delete and the chatter message."""
        self.ensure_one()
        by_id = {line.id: line for line in self.plan_line_ids}
        log, to_create, to_delete = [], [], self.env["wisdom.collection.plan.line"]
        for change in changes:
            line = by_id.get(change.id)
            if change.action == "create":
                if change.amount:
                    to_create.append(self._wisdom_plan_line_vals(change.line, change.amount))
            elif change.action == "delete" or (change.action == "update" and not change.amount and not change.paid):
                to_delete |= line
            elif change.action == "update":
                vals = {"amount": float(change.amount), "anchor_date": change.line.anchor_date or False,
                        "percent": float(change.line.percent)}
                if not line.due_date_locked and line.due_date != (change.new_due_date or False):
                    vals["due_date"] = change.new_due_date or False
                    log.append((line, line.due_date, change.new_due_date))
                if line.currency_id.compare_amounts(line.amount, vals["amount"]) or line.due_date != vals.get(
                        "due_date", line.due_date) or line.anchor_date != vals["anchor_date"]:
                    line.write(vals)
        message = False
        if by_id:
            kinds = dict(self.env["wisdom.collection.plan.line"]._fields["kind"]._description_selection(self.env))
            lines = [escape(self.env._("Collection plan: %(line)s due date %(old)s → %(new)s",
                                       line=line.display_name, old=old or "-", new=new or "-"))
                     for line, old, new in log]
            lines += [escape(self.env._("Collection plan: new instalment %(kind)s of %(amount)s, due %(due)s",
                                        kind=kinds.get(vals["kind"]), amount=vals["amount"],
                                        due=vals["due_date"] or "-"))
                      for vals in to_create]
            message = Markup("<br/>").join(lines) if lines else False
        elif to_create:
            message = escape(self.env._("Collection plan generated: %(count)s instalments.", count=len(to_create)))
        return to_create, to_delete, message

    def _wisdom_plan_line_vals(self, target, amount):
        return {
            "order_id": self.id,
            "term_line_id": target.term_key,
            "shipment_id": target.shipment_key or False,
            "sequence": next((t.sequence for t in self.payment_term_line_ids if t.id == target.term_key), 10),
            "kind": target.kind,
            "percent": float(target.percent),
            "amount": float(amount),
            "anchor_event": target.anchor_event,
            "anchor_date": target.anchor_date or False,
            "days": target.days,
            "due_date": target.due_date or False,
            "user_id": self.user_id.id,
        }

    # BUSINESS METHODS: shipment gate

    def _wisdom_shipment_facts(self):
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id.sudo()
        lines = self.env["wisdom.collection.plan.line"].sudo().search(
            [("partner_id", "=", customer.id), ("order_id.state", "=", "sale")] + money.outstanding_domain())
        today = fields.Date.context_today(self)
        money_lines = [line._wisdom_money_line() for line in lines]
        prepayment = sum(t.percent for t in self.payment_term_line_ids if t.kind == "prepayment")
        limit = customer._wisdom_credit_limit(self.company_id)
        return shipment_gate.Facts(
            approved=self.state == "sale" and self.validation_status in ("no", "validated"),
            signed=bool(self.signed_date),
            archive_complete=self.archive_complete,
            contract_total=self.amount_total,
            collected=sum(self.sudo().plan_line_ids.mapped("paid_amount")),
            prepayment_percent=prepayment,
            credit_limit=limit,
            customer_receivable=float(money.figures(money_lines, today).receivable),
            overdue_lines=tuple((money.overdue_days(ln, today), float(money.outstanding(ln)))
                                for ln in money_lines if money.is_overdue(ln, today)),
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
            "prepayment_received": self.env._("Prepayment received: %(received)s%% (required %(required)s%%)",
                                              received=p.get("received"), required=p.get("required")),
            "prepayment_missing": self.env._("Prepayment missing: %(received)s%% received, %(required)s%% required",
                                             received=p.get("received"), required=p.get("required")),
            "no_credit_limit": self.env._("No credit limit set for the customer"),
            "within_credit_limit": self.env._("Receivable %(receivable)s within the credit limit %(limit)s",
                                              receivable=p.get("receivable"), limit=p.get("limit")),
            "over_credit_limit": self.env._("Receivable %(receivable)s over the credit limit %(limit)s",
                                            receivable=p.get("receivable"), limit=p.get("limit")),
            "no_overdue": self.env._("No overdue collections beyond %(days)s days", days=p.get("days")),
            "overdue": self.env._(
                "Overdue collections of %(amount)s beyond %(days)s days (up to %(max_days)s days late)",
                amount=p.get("amount"), days=p.get("days"), max_days=p.get("max_days")),
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
            events.append((allocation.date, self.env._("Collected"),
                           f"{allocation.payment_id.name} {allocation.amount:,.2f}"))
        if order.acceptance_date:
            events.append((order.acceptance_date, self.env._("Accepted"), ""))
        return sorted((e for e in events if e[0]), key=lambda e: e[0])


