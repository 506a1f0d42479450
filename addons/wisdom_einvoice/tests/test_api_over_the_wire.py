"""Every public method of the e-invoice addon, and the OCA approval calls on invoice requests, called
over the wire as the role that would call them: once through JSON-2 and once through XML-RPC, against
the fake Nuonuo on 127.0.0.1. A fault, an HTTP error, a value XML-RPC cannot carry or a public method
the flow forgot to call fails the test."""

from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.wisdom_fulfillment.tests.wire import OverTheWireMixin, public_methods

from .common import SHIPPED, EinvoiceCase

Request = "wisdom.invoice.request"
# OCA tier validation on invoice requests (预开票 approval), as the README documents it
DOCUMENTED_STANDARD = {
    (Request, "request_validation"),
    (Request, "validate_tier"),
    (Request, "reject_tier"),
    (Request, "restart_validation"),
}


class EinvoiceApiCase(OverTheWireMixin, HttpCase, EinvoiceCase):
    def _flow(self):
        rep, finance = self.rep_a1, self.finance
        order = self._vat_contract(rep=rep)
        self._ship(order, 6, SHIPPED)
        # the rep asks for an invoice of what was shipped, the standard way and from the contract
        action = self.call(rep, "sale.order", "action_wisdom_new_invoice_request", order.ids)
        blue = self.env[Request].browse(action["res_id"])
        self.assertEqual(blue.line_ids.quantity, 6.0, "defaults to everything shipped and not invoiced")
        self.call(rep, Request, "action_load_shipped", blue.ids)
        self.assertEqual(
            self.call(rep, "sale.order", "action_wisdom_view_invoice_requests", order.ids)["domain"],
            [["order_id", "=", order.id]],
        )
        self.call(rep, Request, "action_submit", blue.ids)
        self.assertEqual(blue.state, "to_issue")
        # finance issues; the provider answers "issuing" first, then the invoice
        with trap_jobs() as trap:
            self.call(finance, Request, "action_issue", blue.ids)
            self.run_jobs(trap)
            self.assertEqual(blue.state, "issuing")
            self.call(finance, Request, "action_check_status", blue.ids)
            self.run_jobs(trap)
            self._poll(trap, rounds=2)
        self.assertEqual(blue.state, "issued")
        self.call(finance, Request, "action_download_files", blue.ids)
        self.assertEqual(self.call(finance, Request, "action_view_invoice", blue.ids)["res_id"], blue.move_id.id)
        # a red invoice: by method, and from the wizard; one is withdrawn and taken up again
        red = self.env[Request].browse(self.call(finance, Request, "action_create_red", blue.ids, reason="2"))
        self.assertTrue(red.is_red)
        self.call(finance, Request, "action_cancel", red.ids)
        self.call(finance, Request, "action_draft", red.ids)
        self.assertEqual(red.state, "draft")
        self.call(finance, Request, "action_cancel", red.ids)
        wizard = self.make(finance, "wisdom.invoice.red.wizard", {"request_id": blue.id, "reason": "2"})
        action = self.call(finance, "wisdom.invoice.red.wizard", "action_confirm", wizard.ids)
        self.assertTrue(self.env[Request].browse(action["res_id"]).red_full)
        # a pre-invoice beyond what was shipped: rejected, restarted, approved and issued
        order = self._vat_contract(rep=rep)
        self._ship(order, 4, SHIPPED)
        pre = self.make(rep, Request, {"order_id": order.id})
        self.call(rep, "wisdom.invoice.request.line", "write", pre.line_ids.ids, vals={"quantity": 10})
        self.call(rep, Request, "write", pre.ids, vals={"pre_invoice": True, "pre_invoice_reason": "客户付款审批需要"})
        self.call(rep, Request, "action_submit", pre.ids)
        self.assertEqual(pre.state, "approval")
        self.call(finance, Request, "reject_tier", pre.ids)
        self.assertEqual(pre.validation_status, "rejected")
        self.call(rep, Request, "restart_validation", pre.ids)
        self.call(rep, Request, "request_validation", pre.ids)
        self.call(finance, Request, "validate_tier", pre.ids)
        with trap_jobs() as trap:
            self.call(finance, Request, "action_issue", pre.ids)
            self.run_jobs(trap)
            self._poll(trap, rounds=2)
        self.assertEqual((pre.state, pre.move_id.amount_total), ("issued", 1130.0))
        missing = (public_methods(self.env, ("wisdom_einvoice",)) | DOCUMENTED_STANDARD) - self.called
        self.assertFalse(missing, "public methods never called over the wire")


@tagged("post_install", "-at_install")
class TestEinvoiceApiOverJson2(EinvoiceApiCase):
    def test_every_public_method_over_json2(self):
        self.protocol = self._json2
        self._flow()


@tagged("post_install", "-at_install")
class TestEinvoiceApiOverXmlRpc(EinvoiceApiCase):
    def test_every_public_method_over_xmlrpc(self):
        self.protocol = self._xmlrpc
        self._flow()
