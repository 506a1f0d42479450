from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import SHIPPED, EinvoiceCase


@tagged("post_install", "-at_install")
class TestPreInvoice(EinvoiceCase):
    def _pre_invoice(self, qty=10, price=113.0, shipped=4):
        order = self._vat_contract(qty=qty, price=price)
        self._ship(order, shipped, SHIPPED)
        request = self._request(order)
        request.line_ids.quantity = qty
        return request

    def test_more_than_shipped_needs_reason_and_finance_approval(self):
        request = self._pre_invoice()
        self.assertTrue(request.exceeds_shipped)
        with self.assertRaisesRegex(UserError, "more than the 4 shipped"):
            request.action_submit()
        request.pre_invoice = True
        with self.assertRaisesRegex(UserError, "give the reason"):
            request.action_submit()
        request.pre_invoice_reason = "客户要求预开票用于付款审批"
        request.action_submit()
        self.assertEqual(request.state, "approval")
        self.assertEqual(request.review_ids.definition_id, self.env.ref("wisdom_einvoice.tier_pre_invoice_finance"))
        with self.assertRaises(ValidationError):
            request.with_user(self.finance).action_issue()
        request.with_user(self.finance).validate_tier()
        with trap_jobs() as trap:
            self._issue(request, trap)
            self._poll(trap, rounds=2)
        self.assertEqual(request.state, "issued")
        self.assertEqual(request.move_id.amount_total, 1130.0)

    def test_large_pre_invoice_needs_the_director_after_finance(self):
        request = self._pre_invoice(qty=10, price=20000.0)
        request.pre_invoice = True
        request.pre_invoice_reason = "年底结算"
        request.action_submit()
        reviews = request.review_ids.sorted("sequence")
        self.assertEqual(len(reviews), 2)
        self.assertEqual(reviews[0].definition_id, self.env.ref("wisdom_einvoice.tier_pre_invoice_finance"))
        request.with_user(self.finance).validate_tier()
        with self.assertRaises(ValidationError):
            request.with_user(self.finance).action_issue()
        request.with_user(self.director).validate_tier()
        with trap_jobs() as trap:
            request.with_user(self.finance).action_issue()
            self.assertEqual(request.state, "issuing")
            self.assertEqual(len(trap.enqueued_jobs), 1)

    def test_shipped_quantities_need_no_approval(self):
        request = self._pre_invoice(shipped=10)
        request.pre_invoice = True  # ticked, but nothing beyond what was shipped
        self.assertFalse(request.exceeds_shipped)
        request.action_submit()
        self.assertEqual(request.state, "to_issue")
        self.assertFalse(request.review_ids)
