"""Checks of an invoice request and of 税收分类编码 (no database)."""

import unittest

from odoo.addons.wisdom_einvoice.tools import validation
from odoo.addons.wisdom_einvoice.tools.validation import LineData, RequestData, validate_request

BUYER_ID = "91430100MA4L0K7C0W"


def good_line(**values):
    return LineData(
        **{
            "name": "Smart meter",
            "goods_code": "1090416010000000000",
            "quantity": 5,
            "unit_price": 100,
            "tax_rate": "0.13",
            "invoiceable_qty": 5,
            "open_qty": 10,
            **values,
        }
    )


def request(lines=None, **values):
    return RequestData(
        **{
            "buyer_name": "长沙星城电气设备有限公司",
            "buyer_tax_id": BUYER_ID,
            "seller_tax_id": "91430000MA4WISDOM1",
            "invoice_kind": "special",
            "lines": tuple(lines if lines is not None else [good_line()]),
            **values,
        }
    )


def codes(problems):
    return [(p.code, p.line) for p in problems]


class TestGoodsCode(unittest.TestCase):
    def test_valid_codes(self):
        for code in ("1090416010000000000", "109", " 1090 4160 1 "):
            self.assertIsNone(validation.goods_code_problem(code), code)

    def test_invalid_codes(self):
        self.assertEqual(validation.goods_code_problem(""), "missing")
        self.assertEqual(validation.goods_code_problem(None), "missing")
        self.assertEqual(validation.goods_code_problem("10904160100000000001"), "too_long")
        self.assertEqual(validation.goods_code_problem("10904A6"), "not_digits")


class TestRequest(unittest.TestCase):
    def test_good_request_has_no_problem(self):
        self.assertEqual(validate_request(request()), [])

    def test_every_problem_is_listed(self):
        lines = [good_line(goods_code=""), good_line(quantity=0), good_line(quantity=8)]
        problems = validate_request(request(lines, buyer_tax_id=""))
        self.assertEqual(
            codes(problems),
            [
                ("buyer_tax_id_missing", 0),
                ("goods_code_missing", 1),
                ("zero_amount", 2),
                ("more_than_shipped", 3),
            ],
        )
        self.assertEqual(problems[-1].values, {"product": "Smart meter", "qty": "8", "open": "5"})

    def test_pre_invoice_allows_more_than_shipped_with_a_reason(self):
        lines = [good_line(quantity=8)]
        self.assertEqual(codes(validate_request(request(lines, pre_invoice=True))), [("pre_invoice_reason_missing", 0)])
        self.assertEqual(validate_request(request(lines, pre_invoice=True, pre_invoice_reason="客户预付")), [])
        self.assertTrue(validation.is_pre_invoice(lines))
        self.assertFalse(validation.is_pre_invoice([good_line()]))

    def test_never_more_than_ordered(self):
        problems = validate_request(request([good_line(quantity=11)], pre_invoice=True, pre_invoice_reason="x"))
        self.assertEqual(codes(problems), [("more_than_ordered", 1)])

    def test_buyer_and_seller(self):
        problems = validate_request(request(buyer_name=" ", buyer_tax_id="91-43", seller_tax_id=""))
        self.assertEqual(
            codes(problems), [("buyer_name_missing", 0), ("buyer_tax_id_invalid", 0), ("seller_tax_id_missing", 0)]
        )

    def test_no_lines_and_kind(self):
        self.assertEqual(
            codes(validate_request(request([], invoice_kind="paper"))), [("invoice_kind_invalid", 0), ("no_lines", 0)]
        )

    def test_rate_and_long_code(self):
        problems = validate_request(request([good_line(tax_rate="0.17", goods_code="1" * 20)]))
        self.assertEqual(codes(problems), [("goods_code_too_long", 1), ("tax_rate_invalid", 1)])

    def test_too_many_lines(self):
        problems = validate_request(request([good_line(quantity=0.001, invoiceable_qty=1)] * 2001))
        self.assertIn(("too_many_lines", 0), codes(problems))

    def test_order_no_from_request_number(self):
        self.assertEqual(validation.order_no("KP/2026/00012"), "KP202600012")
        self.assertEqual(len(validation.order_no("X" * 30)), 20)
        with self.assertRaises(ValueError):
            validation.order_no("/")
