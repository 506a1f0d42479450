from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..tools import provider
from .wisdom_invoice_request import STATE_KEY
from .wisdom_invoice_request_issue import SYSTEM

OP_RED_FORM = "red_form"
OP_RED_FORM_QUERY = "red_form_query"
RED_REASONS = [("1", "Sales return"), ("2", "Invoicing error"), ("3", "Service stopped"), ("4", "Sales discount")]
PARTIAL_REASONS = ("1", "4")  # 开票有误 and 服务中止 reverse the whole invoice
FORM_STATES = [
    ("pending", "Waiting for Confirmation"),
    ("confirmed", "Confirmed"),
    ("void", "Void"),
    ("failed", "Failed"),
]
FORM_EXPIRY = timedelta(hours=72)


class WisdomInvoiceRequest(models.Model):
    """Red invoices (红字发票): a red request mirrors an issued one. A full red while the buyer has not
    confirmed the blue invoice is issued at once; otherwise a 红字发票信息确认单 is raised and the red
    invoice is issued once the buyer confirms it (unconfirmed forms void after 72 h). The credit note
    in Odoo mirrors the red invoice."""

    _inherit = "wisdom.invoice.request"

    is_red = fields.Boolean(string="Red Invoice", readonly=True, copy=False, index=True)
    blue_request_id = fields.Many2one(
        "wisdom.invoice.request", string="Reversed Request", readonly=True, copy=False, index="btree_not_null"
    )
    red_request_ids = fields.One2many("wisdom.invoice.request", "blue_request_id", string="Red Requests")
    red_reason = fields.Selection(RED_REASONS, string="Red Reason", tracking=True)
    red_full = fields.Boolean(string="Full Reversal", readonly=True, copy=False)
    buyer_confirmed = fields.Boolean(
        string="Buyer Confirmed the Invoice",
        tracking=True,
        help="The buyer has confirmed the use of the blue invoice (勾选确认): a confirmation form is needed.",
    )
    red_form_state = fields.Selection(FORM_STATES, string="Confirmation Form", readonly=True, copy=False, tracking=True)
    red_form_no = fields.Char(string="Form No.", readonly=True, copy=False)
    red_form_uuid = fields.Char(string="Form UUID", readonly=True, copy=False)
    red_form_date = fields.Datetime(string="Form Raised On", readonly=True, copy=False)

    # ACTION METHODS

    def action_create_red(self, reason, quantities=None):
        """Finance: a draft red request for this issued invoice. ``quantities``: ``{line id: qty}`` for
        a partial red (returns and discounts only); nothing reverses what remains of every line."""
        self.ensure_one()
        self._wisdom_check_finance()
        self._wisdom_check_state("issued")
        if self.is_red:
            raise UserError(self.env._("A red invoice cannot be reversed."))
        remaining = self._wisdom_red_remaining()
        quantities = {int(k): v for k, v in (quantities or {}).items()} or remaining
        full = all(quantities.get(line.id, 0) >= remaining[line.id] for line in self.line_ids)
        if not full and reason not in PARTIAL_REASONS:
            raise UserError(
                self.env._("A partial red invoice is only possible for a sales return or a sales discount.")
            )
        red = (
            self.sudo()
            .with_context(**{STATE_KEY: True})
            .create(
                {
                    "order_id": self.order_id.id,
                    "is_red": True,
                    "blue_request_id": self.id,
                    "red_reason": reason,
                    "red_full": full,
                    "invoice_kind": self.invoice_kind,
                    "buyer_name": self.buyer_name,
                    "buyer_tax_id": self.buyer_tax_id,
                    "seller_name": self.seller_name,
                    "seller_tax_id": self.seller_tax_id,
                    "remark": self.env._("Red invoice of %s", self.einvoice_number),
                    "line_ids": [
                        Command.create(
                            {
                                "sale_line_id": line.sale_line_id.id,
                                "blue_line_id": line.id,
                                "name": line.name,
                                "goods_code": line.goods_code,
                                "spec": line.spec,
                                "unit": line.unit,
                                "quantity": quantities.get(line.id, 0),
                            }
                        )
                        for line in self.line_ids
                        if quantities.get(line.id)
                    ],
                }
            )
        )
        return red.id

    # BUSINESS METHODS

    def _wisdom_red_remaining(self):
        """{blue line id: quantity not yet reversed by an issued or open red request}"""
        self.ensure_one()
        reds = self.red_request_ids.filtered(lambda r: r.state not in ("cancel", "failed"))
        return {
            line.id: line.quantity
            - sum(reds.line_ids.filtered(lambda ln, b=line: ln.blue_line_id == b).mapped("quantity"))
            for line in self.line_ids
        }

    def _wisdom_problems(self):
        problems = super()._wisdom_problems()
        if self.is_red:
            if not self.red_reason:
                problems.append(self.env._("Choose the reason of the red invoice."))
            elif not self.red_full and self.red_reason not in PARTIAL_REASONS:
                problems.append(
                    self.env._("A partial red invoice is only possible for a sales return or a sales discount.")
                )
        return problems

    def _wisdom_needs_red_form(self):
        return self.is_red and (self.buyer_confirmed or not self.red_full)

    def _wisdom_start_issuing(self):
        if not self._wisdom_needs_red_form():
            return super()._wisdom_start_issuing()
        blue = self.blue_request_id
        payload = {
            "bill_id": self.provider_order_no,
            "blue_invoice_number": blue.einvoice_number,
            "blue_invoice_kind": blue.invoice_kind,
            "reason": self.red_reason,
            "seller_tax_id": self.seller_tax_id,
            "buyer_tax_id": self.buyer_tax_id,
            "lines": [] if self.red_full else self._wisdom_issue_payload()["lines"],
        }
        return (
            self.env["wisdom.integration.message"]
            .sudo()
            .wisdom_enqueue(SYSTEM, OP_RED_FORM, payload, record=self, idempotency_key=self.name)
        )

    def _wisdom_issue_payload(self):
        payload = super()._wisdom_issue_payload()
        if not self.is_red:
            return payload
        for line in payload["lines"]:
            for key in ("quantity", "tax", "amount_excl", "amount_incl"):
                line[key] = line[key] if line[key].startswith("-") or line[key] in ("0", "0.00") else f"-{line[key]}"
        payload.update(
            red=True,
            blue_invoice_number=self.blue_request_id.einvoice_number,
            red_confirm_uuid=self.red_form_uuid or "",
            red_confirm_no=self.red_form_no or "",
            red_reason=self.red_reason or "",
        )
        return payload

    def _wisdom_move_vals(self):
        vals = super()._wisdom_move_vals()
        if self.is_red:
            vals.update(move_type="out_refund", reversed_entry_id=self.blue_request_id.move_id.id)
        return vals

    def _wisdom_integration_done(self, message, response):
        if message.operation in (OP_RED_FORM, OP_RED_FORM_QUERY):
            self._wisdom_apply_red_form(provider.RedConfirmResult(**response))
            return True
        return super()._wisdom_integration_done(message, response)

    def _wisdom_apply_red_form(self, form):
        self.ensure_one()
        if self.state != "issuing":
            return
        vals = {
            "red_form_state": form.status,
            "red_form_no": form.bill_no or self.red_form_no,
            "red_form_uuid": form.extra.get("bill_uuid") or self.red_form_uuid,
            "red_form_date": self.red_form_date or fields.Datetime.now(),
            "last_poll_at": fields.Datetime.now(),
        }
        self.sudo().write(vals)
        if form.status == "confirmed":
            self._wisdom_enqueue_issue()
        elif form.status in ("void", "failed"):
            self._wisdom_fail(
                self.env._(
                    "The red-letter confirmation form %(no)s was not confirmed (%(status)s).",
                    no=self.red_form_no or "-",
                    status=form.provider_status,
                )
            )

    @api.model
    def _cron_poll_issuing(self, limit=200):
        """Also: ask about red-letter forms waiting for the buyer, and void those older than 72 h."""
        count = super()._cron_poll_issuing(limit=limit)
        now = fields.Datetime.now()
        waiting = self.sudo().search([("state", "=", "issuing"), ("red_form_state", "=", "pending")], limit=limit)
        for request in waiting:
            if request.red_form_date and now - request.red_form_date > FORM_EXPIRY:
                request.red_form_state = "void"
                request._wisdom_fail(
                    self.env._(
                        "The red-letter confirmation form %s was not confirmed within 72 hours and is void.",
                        request.red_form_no or "-",
                    )
                )
            else:
                self.env["wisdom.integration.message"].sudo().wisdom_enqueue(
                    SYSTEM,
                    OP_RED_FORM_QUERY,
                    {"bill_id": request.provider_order_no, "seller_tax_id": request.seller_tax_id or ""},
                    record=request,
                )
        return count + len(waiting)
