from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import SHIPPED, EinvoiceCase


@tagged("post_install", "-at_install")
class TestInvoiceRequest(EinvoiceCase):
    def test_defaults_from_shipped_not_invoiced(self):
        order = self._vat_contract()
        self._ship(order, 6, SHIPPED)
        request = self._request(order)
        self.assertEqual(request.name[:2], "KP")
        line = request.line_ids
        self.assertRecordValues(
            line,
            [
                {
                    "quantity": 6.0,
                    "goods_code": "1090416010000000000",
                    "unit_price": 113.0,
                    "tax_rate": 0.13,
                    "price_includes_tax": True,
                    "amount_excl": 600.0,
                    "amount_tax": 78.0,
                    "amount_incl": 678.0,
                    "invoiceable_qty": 6.0,
                }
            ],
        )
        self.assertRecordValues(
            request,
            [
                {
                    "buyer_name": order.partner_id.name,
                    "buyer_tax_id": order.partner_id.credit_code,
                    "seller_tax_id": self.env.company.vat,
                    "amount_total": 678.0,
                    "amount_untaxed": 600.0,
                    "pre_invoice": False,
                    "state": "draft",
                    "invoice_kind": "special",
                }
            ],
        )
        self.assertIn(order.contract_no or order.name, request.remark)
        # what is requested is not proposed again
        self.assertFalse(self._request(order).line_ids)

    def test_every_problem_is_listed_in_one_message(self):
        order = self._vat_contract()
        self._ship(order, 4, SHIPPED)
        order.partner_id.credit_code = False
        self.product.einvoice_goods_code = False
        request = self._request(order)
        request.line_ids.quantity = 5
        with self.assertRaises(UserError) as caught:
            request.action_submit()
        text = str(caught.exception)
        for expected in ("taxpayer ID", "tax classification code is missing", "5 is more than the 4 shipped"):
            self.assertIn(expected, text)
        request.line_ids.quantity = 0
        with self.assertRaisesRegex(UserError, "above zero"):
            request.action_submit()
        self.assertEqual(request.state, "draft")

    def test_goods_code_is_validated_on_the_product(self):
        with self.assertRaises(ValidationError):
            self.product.einvoice_goods_code = "10904A"
        with self.assertRaises(ValidationError):
            self.product.product_tmpl_id.write({"einvoice_goods_code": "1" * 19 + "0"})

    def test_submit_and_status_guards(self):
        order = self._vat_contract()
        self._ship(order, 10, SHIPPED)
        request = self._request(order)
        with self.assertRaisesRegex(UserError, "buttons"):
            request.write({"state": "issued"})
        self.assertTrue(request.action_submit())
        self.assertEqual(request.state, "to_issue")
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            request.write({"remark": "x"})
        with self.assertRaisesRegex(UserError, "Only finance"):
            request.action_issue()
        self.assertTrue(request.action_draft())
        self.assertTrue(request.action_cancel())
        request.unlink()

    def test_contract_button_opens_a_request(self):
        order = self._vat_contract()
        self._ship(order, 3, SHIPPED)
        action = order.with_user(self.rep_a1).action_wisdom_new_invoice_request()
        request = self.Request.browse(action["res_id"])
        self.assertEqual(request.line_ids.quantity, 3.0)
        self.assertEqual(order.invoice_request_count, 1)
        self.assertEqual(order.action_wisdom_view_invoice_requests()["domain"], [("order_id", "=", order.id)])
