from odoo.tests import Form, tagged

from .common import FulfilmentCase


@tagged("post_install", "-at_install")
class TestFinanceInvoicing(FulfilmentCase):
    """Finance invoices confirmed contracts with Odoo's own Create Invoice wizard."""

    def _wizard(self, order, user, **values):
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(user)
            .with_context(active_model="sale.order", active_ids=order.ids, active_id=order.id)
        )
        with Form(wizard) as form:
            for name, value in values.items():
                setattr(form, name, value)
        return form.record

    def test_finance_creates_regular_invoice(self):
        order = self._contract(rep=self.rep_b1)  # another team's contract: finance sees every contract
        wizard = self._wizard(order, self.finance, advance_payment_method="delivered")
        action = wizard.create_invoices()
        self.assertTrue(action)
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.amount_total, 1000.0)
        self.assertEqual(invoice.state, "draft")
        invoice.with_user(self.finance).action_post()
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertEqual(order.invoiced_amount, 1000.0)

    def test_finance_creates_down_payment_invoice(self):
        order = self._contract()
        wizard = self._wizard(order, self.finance, advance_payment_method="percentage", amount=30)
        wizard.create_invoices()
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertAlmostEqual(invoice.amount_total, 300.0)
        self.assertTrue(order.order_line.filtered("is_downpayment"), "the down payment line is on the contract")
        invoice.with_user(self.finance).action_post()
        # the rest is invoiced later with the down payment deducted
        self._wizard(order, self.finance, advance_payment_method="delivered").create_invoices()
        final = order.invoice_ids - invoice
        self.assertAlmostEqual(final.amount_total, 700.0)
        self.assertAlmostEqual(
            sum(order.plan_line_ids.mapped("amount")), 1000.0, "down payment lines leave the collection plan alone"
        )
