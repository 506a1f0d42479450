from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount

from ..tools import plan as pure_plan


class SaleOrder(models.Model):
    """The contract's collection plan (回款计划): generated on confirmation and re-anchored when its
    events happen (shipment, first invoice, acceptance, signing, warranty)."""

    _inherit = "sale.order"

    # BUSINESS METHODS: collection plan

    def _wisdom_first_invoice_dates(self):
        """{order id: date of its first posted customer invoice}, in one query."""
        if not self.ids:
            return {}
        rows = self.env.execute_query(
            SQL(
                """
            SELECT sol.order_id, MIN(move.invoice_date)
              FROM sale_order_line sol
              JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
              JOIN account_move_line aml ON aml.id = rel.invoice_line_id
              JOIN account_move move ON move.id = aml.move_id
             WHERE sol.order_id IN %s AND move.state = 'posted' AND move.move_type = 'out_invoice'
             GROUP BY sol.order_id
            """,
                tuple(self.ids),
            )
        )
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
                for r in shipments.sorted(lambda r: (r.ship_date, r.id))
            ),
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
                targets = pure_plan.generate(
                    pure_plan.to_decimal(order.amount_total),
                    instalments,
                    order._wisdom_plan_events(invoice_dates.get(order.id)),
                    digits,
                )
            except pure_plan.PlanError as error:
                raise UserError(
                    self.env._(
                        "The collection plan of %(order)s cannot be built: %(error)s",
                        order=order.name,
                        error=str(error),
                    )
                ) from error
            fixed = order.plan_line_ids.filtered("manual_split")
            targets = order._wisdom_deduct_fixed(targets, fixed, digits)
            stored = order.plan_line_ids - fixed
            existing = [
                pure_plan.ExistingLine(
                    line.id,
                    (line.term_line_id.id, line.shipment_id.id or None),
                    pure_plan.to_decimal(line.amount),
                    pure_plan.to_decimal(line.paid_amount + line.disposed_amount),
                    line.due_date or None,
                    line.anchor_date or None,
                )
                for line in stored
            ]
            try:
                changes = pure_plan.reconcile(existing, targets, digits)
            except pure_plan.PlanError as error:
                raise UserError(
                    self.env._(
                        "The collection plan of %(order)s cannot follow this change: more was collected than it "
                        "would plan (%(error)s).",
                        order=order.name,
                        error=str(error),
                    )
                ) from error
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
                vals = {
                    "amount": float(change.amount),
                    "anchor_date": change.line.anchor_date or False,
                    "percent": float(change.line.percent),
                }
                if not line.due_date_locked and line.due_date != (change.new_due_date or False):
                    vals["due_date"] = change.new_due_date or False
                    log.append((line, line.due_date, change.new_due_date))
                if (
                    line.currency_id.compare_amounts(line.amount, vals["amount"])
                    or line.due_date != vals.get("due_date", line.due_date)
                    or line.anchor_date != vals["anchor_date"]
                ):
                    line.write(vals)
        message = False
        if by_id:
            kinds = dict(self.env["wisdom.collection.plan.line"]._fields["kind"]._description_selection(self.env))
            lines = [
                escape(
                    self.env._(
                        "Collection plan: %(line)s due date %(old)s → %(new)s",
                        line=line.display_name,
                        old=old or "-",
                        new=new or "-",
                    )
                )
                for line, old, new in log
            ]
            lines += [
                escape(
                    self.env._(
                        "Collection plan: new instalment %(kind)s of %(amount)s, due %(due)s",
                        kind=kinds.get(vals["kind"]),
                        amount=format_amount(self.env, vals["amount"], self.currency_id),
                        due=vals["due_date"] or "-",
                    )
                )
                for vals in to_create
            ]
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
