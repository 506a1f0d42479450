import base64
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg2
import requests

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL

from ..tools import amounts, provider, validation
from .wisdom_invoice_request import STATE_KEY

_logger = logging.getLogger(__name__)

SYSTEM = "einvoice"
OP_ISSUE = "issue"
OP_QUERY = "query"
CHINA = ZoneInfo("Asia/Shanghai")
MAX_POLLS = 60  # then finance is asked to look (an activity) and the cron stops asking
FILE_KINDS = (
    ("pdf_url", "pdf", "application/pdf"),
    ("ofd_url", "ofd", "application/ofd"),
    ("xml_url", "xml", "application/xml"),
)


class WisdomInvoiceRequest(models.Model):
    """Issuing through the provider: the request is locked and set to "issuing" (committed with the
    job), its order number fixed before the first call and reused on every retry; the answer is
    polled (queue_job right away, then the cron) until the provider gives a final status."""

    _inherit = "wisdom.invoice.request"

    provider_order_no = fields.Char(
        string="Order No.",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Our order number at the provider, fixed before the first call.",
    )
    provider_serial_no = fields.Char(string="Provider Serial No.", readonly=True, copy=False)
    provider_status = fields.Char(string="Provider Status", readonly=True, copy=False)
    issue_error = fields.Text(string="Issuing Error", readonly=True, copy=False)
    poll_count = fields.Integer(string="Status Queries", readonly=True, copy=False)
    last_poll_at = fields.Datetime(string="Last Status Query", readonly=True, copy=False)
    einvoice_number = fields.Char(
        string="E-invoice Number",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="The 20-digit number of the 数电发票.",
    )
    issued_at = fields.Datetime(string="Issued On", readonly=True, copy=False)
    issue_date = fields.Date(string="Issue Date", readonly=True, copy=False, index=True)
    pdf_url = fields.Char(string="PDF Link", readonly=True, copy=False)
    ofd_url = fields.Char(string="OFD Link", readonly=True, copy=False)
    xml_url = fields.Char(string="XML Link", readonly=True, copy=False)
    move_id = fields.Many2one("account.move", string="Customer Invoice", readonly=True, copy=False, index=True)
    files_missing = fields.Boolean(
        string="Files Missing",
        readonly=True,
        copy=False,
        index=True,
        help="The PDF/OFD/XML could not be downloaded yet; the cron tries again.",
    )

    _order_no_unique = models.UniqueIndex(
        "(company_id, provider_order_no) WHERE provider_order_no IS NOT NULL",
        "This order number was already sent to the provider.",
    )

    # ACTION METHODS

    def action_issue(self):
        """Finance: send to the provider. Asynchronous: the request is "issuing" until the provider
        answers; a double click or a second worker finds the row locked or already issuing."""
        self._wisdom_check_finance()
        for request in self:
            request._wisdom_lock()
            request._wisdom_check_state("to_issue", "approval")
            request._wisdom_raise_problems()
            step = request.with_context(**{STATE_KEY: True})
            if request.state == "approval":
                step.state = "to_issue"  # tier validation refuses this until every tier approved
            step.write(
                {
                    "state": "issuing",
                    "issue_error": False,
                    "poll_count": 0,
                    "provider_order_no": request.provider_order_no or validation.order_no(request.name),
                }
            )
            request._wisdom_start_issuing()
            request.message_post(body=self.env._("Sent to the tax platform as order %s.", request.provider_order_no))
        return True

    def action_check_status(self):
        """Ask the provider now (finance), e.g. after the cron stopped asking."""
        self._wisdom_check_finance()
        for request in self:
            request._wisdom_check_state("issuing")
            request.sudo().poll_count = 0
            request._wisdom_enqueue_query()
        return True

    def action_download_files(self):
        """Fetch the PDF/OFD/XML again (when the provider's links did not answer at issue time)."""
        self._wisdom_check_finance()
        for request in self:
            request._wisdom_check_state("issued")
            request.sudo()._wisdom_store_files()
        return True

    def action_view_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
            "target": "current",
        }

    # INTEGRATION

    def _wisdom_lock(self):
        """Row lock for the rest of the transaction; someone else holding it is sending it now."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.execute_query(
                    SQL("SELECT id FROM wisdom_invoice_request WHERE id = %s FOR UPDATE NOWAIT", self.id)
                )
        except psycopg2.errors.LockNotAvailable as error:
            raise UserError(self.env._("Invoice request %s is being sent right now.", self.name)) from error
        self.invalidate_recordset()

    def _wisdom_start_issuing(self):
        """First call to the provider once the request is "issuing" (red invoices may need a form first)."""
        return self._wisdom_enqueue_issue()

    def _wisdom_enqueue_issue(self):
        self.ensure_one()
        return (
            self.env["wisdom.integration.message"]
            .sudo()
            .wisdom_enqueue(SYSTEM, OP_ISSUE, self._wisdom_issue_payload(), record=self, idempotency_key=self.name)
        )

    def _wisdom_enqueue_query(self):
        self.ensure_one()
        Message = self.env["wisdom.integration.message"].sudo()
        waiting = Message.search_count(
            [
                ("system", "=", SYSTEM),
                ("operation", "=", OP_QUERY),
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("state", "in", ("pending", "running", "failed")),
            ]
        )
        if waiting:
            return False
        payload = {"order_nos": [self.provider_order_no], "seller_tax_id": self.seller_tax_id or ""}
        return Message.wisdom_enqueue(SYSTEM, OP_QUERY, payload, record=self)

    def _wisdom_issue_payload(self):
        """The ``IssueOrder`` as a JSON dict (what the integration message records)."""
        self.ensure_one()
        figures = amounts.compute_invoice(line._wisdom_amount_input() for line in self.line_ids).lines
        now = fields.Datetime.now().replace(tzinfo=ZoneInfo("UTC")).astimezone(CHINA)
        # Nuonuo has no session: the server's dbfilter (one database per host name) finds the database
        callback = f"{self.get_base_url()}/wisdom_einvoice/nuonuo/callback"
        return {
            "order_no": self.provider_order_no,
            "invoice_date": now.strftime("%Y-%m-%d %H:%M:%S"),
            "invoice_kind": self.invoice_kind,
            "buyer_name": self.buyer_name,
            "buyer_tax_id": self.buyer_tax_id,
            "seller_tax_id": self.seller_tax_id,
            "clerk": self.clerk or self.env.user.name,
            "remark": self.remark or "",
            "callback_url": callback,
            "lines": [
                {
                    "goods_name": line.name,
                    "goods_code": validation.normalize_goods_code(line.goods_code),
                    "spec": line.spec or "",
                    "unit": line.unit or "",
                    "quantity": amounts.plain(figure.quantity),
                    "price": amounts.plain(figure.price_incl if line.price_includes_tax else figure.price_excl),
                    "price_includes_tax": line.price_includes_tax,
                    "tax_rate": f"{figure.tax_rate:f}",
                    "tax": f"{figure.tax:f}",
                    "amount_excl": f"{figure.amount_excl:f}",
                    "amount_incl": f"{figure.amount_incl:f}",
                }
                for line, figure in zip(self.line_ids, figures, strict=True)
            ],
        }

    def _wisdom_integration_done(self, message, response):
        """The integration core hands over a provider answer (see ``wisdom_integration_message``)."""
        self.ensure_one()
        if message.operation == OP_ISSUE:
            self.sudo().write({"provider_serial_no": response.get("serial_no") or False})
            self._wisdom_enqueue_query()
        elif message.operation == OP_QUERY:
            for result in response.get("results") or []:
                if result.get("order_no") == self.provider_order_no:
                    self._wisdom_apply_result(provider.InvoiceResult(**result))
        return True

    def _wisdom_integration_dead(self, message):
        """A message of this request is dead: a rejection fails the request; an issue call that never
        got through stays "issuing" (the cron asks the provider by order number) and finance is told."""
        self.ensure_one()
        if self.state != "issuing":
            return
        response = message.wisdom_response() or {}
        if message.operation in (OP_ISSUE, "red_form") and response.get("rejected"):
            self._wisdom_fail(message.last_error)
        elif message.operation == OP_ISSUE:
            self.sudo().issue_error = message.last_error
            self._wisdom_finance_activity(self.env._("The tax platform could not be reached: %s", message.last_error))

    # RESULTS

    def _wisdom_apply_result(self, result):
        self.ensure_one()
        if self.state != "issuing":
            return
        sudo = self.sudo()
        sudo.write(
            {
                "provider_status": result.provider_status or result.status,
                "poll_count": self.poll_count + 1,
                "last_poll_at": fields.Datetime.now(),
                "provider_serial_no": result.serial_no or self.provider_serial_no,
            }
        )
        if result.status == provider.STATUS_DONE:
            self._wisdom_issued(result)
        elif result.status in (provider.STATUS_FAILED, provider.STATUS_VOID):
            self._wisdom_fail(
                self.env._(
                    "The tax platform refused the invoice (status %(status)s): %(reason)s",
                    status=result.provider_status,
                    reason=result.message or "-",
                )
            )
        elif self.poll_count >= MAX_POLLS:
            self._wisdom_finance_activity(
                self.env._(
                    "The tax platform still reports status %(status)s after %(count)s queries: check it on the "
                    "platform, then use Check Status.",
                    status=result.provider_status,
                    count=self.poll_count,
                )
            )

    def _wisdom_fail(self, reason):
        self.sudo().with_context(**{STATE_KEY: True}).write({"state": "failed", "issue_error": reason})
        self.message_post(body=self.env._("Issuing failed: %s", reason))
        self._wisdom_finance_activity(self.env._("Issuing failed: %s", reason))

    def _wisdom_finance_activity(self, note):
        finance = self.env.ref("wisdom_crm_base.group_wisdom_finance").sudo().user_ids[:1]
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            note=note,
            user_id=(finance or self.env.user).id,
            summary=self.env._("E-invoice needs attention"),
        )

    def _wisdom_issued(self, result):
        issued_at = (
            datetime.strptime(result.issued_at, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
            if result.issued_at
            else datetime.now(CHINA)
        )
        sudo = self.sudo().with_context(**{STATE_KEY: True})
        sudo.write(
            {
                "state": "issued",
                "einvoice_number": result.invoice_number,
                "issue_error": False,
                "issued_at": issued_at.astimezone(ZoneInfo("UTC")).replace(tzinfo=None),
                "issue_date": issued_at.date(),
                "pdf_url": result.pdf_url or False,
                "ofd_url": result.ofd_url or False,
                "xml_url": result.xml_url or False,
            }
        )
        sudo.move_id = sudo._wisdom_create_move()
        sudo._wisdom_store_files()
        self.message_post(
            body=self.env._(
                "数电发票 %(number)s issued on %(date)s.", number=result.invoice_number, date=sudo.issue_date
            )
        )

    def _wisdom_create_move(self):
        """The customer invoice in Odoo, linked to the contract lines (which re-anchors the collection
        plan and moves the contract's invoiced figures) and posted."""
        self.ensure_one()
        if self.move_id:
            return self.move_id
        move = self.env["account.move"].with_company(self.company_id).create(self._wisdom_move_vals())
        move.action_post()
        return move

    def _wisdom_move_vals(self):
        order = self.order_id
        return {
            "move_type": "out_invoice",
            "partner_id": order.partner_invoice_id.id or order.partner_id.id,
            "invoice_date": self.issue_date,
            "ref": self.einvoice_number,
            "einvoice_number": self.einvoice_number,
            "einvoice_request_id": self.id,
            "invoice_origin": order.name,
            "invoice_user_id": order.user_id.id,
            "team_id": order.team_id.id,
            "currency_id": self.currency_id.id,
            "invoice_line_ids": [Command.create(line._wisdom_move_line_vals()) for line in self.line_ids],
        }

    def _wisdom_store_files(self):
        """Download the PDF, OFD and XML of the issued invoice onto the customer invoice."""
        self.ensure_one()
        target = self.move_id or self
        Attachment = self.env["ir.attachment"].sudo()
        timeout = self.env["wisdom.integration.endpoint"]._wisdom_get(SYSTEM).timeout
        missing = []
        for field_name, extension, mimetype in FILE_KINDS:
            url = self[field_name]
            name = f"{self.einvoice_number}.{extension}"
            if not url or Attachment.search_count(
                [("res_model", "=", target._name), ("res_id", "=", target.id), ("name", "=", name)]
            ):
                continue
            try:
                response = requests.get(url, timeout=timeout)
                response.raise_for_status()
            except requests.exceptions.RequestException as error:
                _logger.warning("Downloading %s of %s failed: %s", extension, self.name, error)
                missing.append(extension.upper())
                continue
            Attachment.create(
                {
                    "name": name,
                    "res_model": target._name,
                    "res_id": target.id,
                    "mimetype": mimetype,
                    "datas": base64.b64encode(response.content),
                }
            )
        if missing and not self.files_missing:
            self.message_post(
                body=self.env._("These files could not be downloaded yet: %s. Use Download Files.", ", ".join(missing))
            )
        self.files_missing = bool(missing)
        return not missing

    # CRON

    @api.model
    def _cron_poll_issuing(self, limit=200):
        """Ask the provider about requests still issuing: those with a serial number, and those whose
        issue call never got an answer (the provider may have it: asked by order number)."""
        since = fields.Datetime.now() - timedelta(minutes=1)
        requests_ = self.sudo().search(
            [
                ("state", "=", "issuing"),
                ("poll_count", "<", MAX_POLLS),
                "|",
                ("last_poll_at", "=", False),
                ("last_poll_at", "<", since),
            ],
            limit=limit,
            order="last_poll_at asc nulls first, id",
        )
        for request in requests_:
            try:
                with self.env.cr.savepoint():
                    request._wisdom_enqueue_query()
            except Exception as error:  # noqa: BLE001 - one bad request must not stop the others
                _logger.warning("Polling invoice request %s failed: %s", request.name, error)
        for request in self.sudo().search([("state", "=", "issued"), ("files_missing", "=", True)], limit=limit):
            request._wisdom_store_files()
        return len(requests_)
