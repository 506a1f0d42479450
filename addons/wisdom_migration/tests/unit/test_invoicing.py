import unittest
from decimal import Decimal as D

from odoo.addons.wisdom_migration.tools import invoicing
from odoo.addons.wisdom_migration.tools.invoicing import ContractLine, InvoiceLine

LINES = [
    ContractLine(11, 1, "WS-100", D(10), D("120.00"), D("1200.00")),
    ContractLine(12, 2, "WS-200", D(3), D("100.00"), D("300.00")),
]


class TestInvoiceSplit(unittest.TestCase):
    def test_whole_contract_invoices_every_line_in_full(self):
        self.assertEqual(
            invoicing.split(D("1500.00"), LINES),
            [InvoiceLine(11, D(10), D("120.00"), D("1200.00")), InvoiceLine(12, D(3), D("100.00"), D("300.00"))],
        )

    def test_partial_invoice_takes_the_same_share_of_each_line(self):
        parts = invoicing.split(D("750.00"), LINES)
        self.assertEqual([(p.sale_line_id, p.amount) for p in parts], [(11, D("600.00")), (12, D("150.00"))])
        self.assertEqual([(p.quantity, p.price_unit) for p in parts], [(D(5), D("120.00")), (D("1.50"), D("100.00"))])
        self.assertEqual(sum(p.amount for p in parts), D("750.00"))

    def test_amount_always_matches_the_source(self):
        for amount in (D("0.01"), D("333.33"), D("1499.99"), D("1234.56")):
            parts = invoicing.split(amount, LINES)
            self.assertEqual(sum(p.amount for p in parts), amount, amount)
            for part in parts:
                self.assertEqual((part.quantity * part.price_unit).quantize(D("0.01")), part.amount, amount)

    def test_lines_named_by_number_or_product(self):
        self.assertEqual(invoicing.matching_lines(LINES, 2), LINES[1:])
        self.assertEqual(invoicing.matching_lines(LINES, None, "ws-100"), LINES[:1])
        self.assertEqual(invoicing.matching_lines(LINES), LINES)
        # the error names the value to fix: a line number that is not there, a product the contract
        # (or the numbered line) does not have, a contract without lines
        for sequence, product, field in (
            (3, None, "sale_line_sequence"),
            (3, "WS-100", "sale_line_sequence"),
            (None, "WS-999", "product_code"),
            (1, "WS-200", "product_code"),
        ):
            with self.assertRaises(invoicing.Unmatched) as caught:
                invoicing.matching_lines(LINES, sequence, product)
            self.assertEqual(caught.exception.field, field, (sequence, product))
        with self.assertRaises(invoicing.Unmatched) as caught:
            invoicing.matching_lines([])
        self.assertEqual(caught.exception.field, "invoice_origin")

    def test_contract_price_without_tax_gives_the_unit_price_of_the_amount(self):
        # a contract line at 100 excluding 13 % tax: the invoice (tax included, no tax line) invoices 113 a unit
        line = ContractLine(21, 1, "WS-100", D(10), D("100.00"), D("1130.00"))
        self.assertEqual(invoicing.split(D("1130.00"), [line]), [InvoiceLine(21, D(10), D("113.00"), D("1130.00"))])
