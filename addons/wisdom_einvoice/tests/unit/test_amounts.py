"""The amount/tax rules of 数电发票 lines and invoices (no database)."""

import random
import unittest
from decimal import Decimal as D

from odoo.addons.wisdom_einvoice.tools import amounts
from odoo.addons.wisdom_einvoice.tools.amounts import LineInput, compute_invoice, compute_line


def line(qty, price, rate, incl=True):
    return LineInput(D(str(qty)), D(str(price)), D(str(rate)), incl)


class TestLine(unittest.TestCase):
    def assertLine(self, result, excl, tax, incl):
        self.assertEqual((result.amount_excl, result.tax, result.amount_incl), (D(excl), D(tax), D(incl)))
        self.assertEqual(amounts.line_problems(result), [])

    def test_13_percent_tax_included(self):
        self.assertLine(compute_line(line(1, 113, "0.13")), "100.00", "13.00", "113.00")

    def test_13_percent_tax_excluded(self):
        self.assertLine(compute_line(line(1, 100, "0.13", incl=False)), "100.00", "13.00", "113.00")

    def test_9_percent_tax_included(self):
        self.assertLine(compute_line(line(3, "33.33", "0.09")), "91.73", "8.26", "99.99")

    def test_9_percent_tax_excluded(self):
        self.assertLine(compute_line(line(3, "33.33", "0.09", incl=False)), "99.99", "9.00", "108.99")

    def test_6_percent_tax_included(self):
        self.assertLine(compute_line(line(7, "15.5", "0.06")), "102.36", "6.14", "108.50")

    def test_6_percent_tax_excluded(self):
        self.assertLine(compute_line(line(7, "15.5", "0.06", incl=False)), "108.50", "6.51", "115.01")

    def test_0_percent(self):
        self.assertLine(compute_line(line(4, "12.345", "0")), "49.38", "0.00", "49.38")
        self.assertLine(compute_line(line(4, "12.345", "0", incl=False)), "49.38", "0.00", "49.38")

    def test_3_and_1_percent_small_taxpayer_rates(self):
        self.assertLine(compute_line(line(1, 103, "0.03")), "100.00", "3.00", "103.00")
        self.assertLine(compute_line(line(1, 101, "0.01")), "100.00", "1.00", "101.00")

    def test_rounding_half_up_in_fen(self):
        # 0.125 → 0.13 (half up, not banker's 0.12)
        self.assertEqual(compute_line(line(1, "0.125", "0", incl=False)).amount_excl, D("0.13"))
        self.assertEqual(amounts.fen("2.675"), D("2.68"))
        self.assertEqual(amounts.fen(D("-1.005")), D("-1.01"))

    def test_fractional_quantity(self):
        result = compute_line(line("2.5", "100.4", "0.13"))
        self.assertLine(result, "222.12", "28.88", "251.00")

    def test_unit_prices_both_ways(self):
        result = compute_line(line(3, 113, "0.13"))
        self.assertEqual(result.price_incl, D("113.00000000"))
        self.assertEqual(result.price_excl, D("100.00000000"))
        excl = compute_line(line(3, 10, "0.13", incl=False))
        self.assertEqual(excl.price_incl, D("11.30000000"))

    def test_price_with_many_decimals(self):
        result = compute_line(line(1000, "0.123456", "0.13", incl=False))
        self.assertLine(result, "123.46", "16.05", "139.51")

    def test_large_amount(self):
        result = compute_line(line(1, "99999999.99", "0.13"))
        self.assertEqual(result.amount_incl, D("99999999.99"))
        self.assertEqual(amounts.line_problems(result), [])

    def test_zero_quantity_gives_zero(self):
        result = compute_line(line(0, 100, "0.13"))
        self.assertLine(result, "0.00", "0.00", "0.00")
        self.assertEqual(result.price_excl, D(0))

    def test_negative_input_refused(self):
        with self.assertRaises(amounts.AmountError):
            compute_line(line(-1, 100, "0.13"))
        with self.assertRaises(amounts.AmountError):
            compute_line(line(1, -100, "0.13"))

    def test_unknown_rate_refused(self):
        with self.assertRaisesRegex(amounts.AmountError, "0.17"):
            compute_line(line(1, 100, "0.17"))

    def test_plain_text_of_decimals(self):
        self.assertEqual(
            [amounts.plain(v) for v in (D("6.0"), D("113.50000000"), D("100"), D("0.00"), 2.5)],
            ["6", "113.5", "100", "0", "2.5"],
        )

    def test_floats_are_taken_as_written(self):
        result = compute_line(LineInput(3, 0.1, 0.13, False))
        self.assertEqual(result.amount_excl, D("0.30"))
        self.assertEqual(result.tax, D("0.04"))

    def test_line_problems_detects_mismatch(self):
        bad = amounts.LineAmounts(D(1), D("0.13"), D(100), D(113), D("100.00"), D("13.00"), D("113.01"))
        self.assertEqual(amounts.line_problems(bad), ["excl + tax != incl"])

    def test_line_problems_detects_tax_deviation(self):
        bad = amounts.LineAmounts(D(1), D("0.13"), D(100), D(113), D("100.00"), D("12.90"), D("112.90"))
        self.assertEqual(amounts.line_problems(bad), ["|excl × rate − tax| > 0.06"])

    def test_line_problems_detects_sub_fen(self):
        bad = amounts.LineAmounts(D(1), D("0"), D(1), D(1), D("1.001"), D("0"), D("1.001"))
        self.assertEqual(amounts.line_problems(bad), ["not in fen"])

    def test_deviation_at_tolerance_is_accepted(self):
        edge = amounts.LineAmounts(D(1), D("0.13"), D(100), D(113), D("100.00"), D("12.94"), D("112.94"))
        self.assertEqual(amounts.line_problems(edge), [])


class TestInvoice(unittest.TestCase):
    def assertBalanced(self, invoice):
        self.assertEqual(invoice.amount_excl + invoice.tax, invoice.amount_incl)
        for result in invoice.lines:
            self.assertEqual(amounts.line_problems(result), [], result)
        for rate, (excl, tax, incl) in invoice.by_rate().items():
            self.assertEqual(excl + tax, incl)
            # rounded once per rate and pricing (tax-included / -excluded): each part within one fen
            self.assertLessEqual(abs(excl * rate - tax), D("0.02"), f"rate {rate}")

    def test_single_line_equals_line_rule(self):
        invoice = compute_invoice([line(1, 113, "0.13")])
        self.assertEqual((invoice.amount_excl, invoice.tax, invoice.amount_incl), (D(100), D(13), D(113)))

    def test_many_tax_included_lines_balance_the_total(self):
        # 100 lines of 0.05 at 13 %: line by line each excl rounds 0.0442 → 0.04 (4.00 in total) while
        # the total's excl is 5.00 / 1.13 = 4.42: the spread gives 42 lines 0.05 and 58 lines 0.04.
        invoice = compute_invoice([line(1, "0.05", "0.13")] * 100)
        self.assertEqual(invoice.amount_incl, D("5.00"))
        self.assertEqual(invoice.amount_excl, D("4.42"))
        self.assertEqual(invoice.tax, D("0.58"))
        self.assertEqual(sorted({r.amount_excl for r in invoice.lines}), [D("0.04"), D("0.05")])
        self.assertBalanced(invoice)

    def test_many_tax_excluded_lines_balance_the_tax(self):
        invoice = compute_invoice([line(1, "0.03", "0.13", incl=False)] * 100)
        # each line's tax 0.0039 rounds to 0.00 alone; the total tax 3.00 × 13 % = 0.39 is kept
        self.assertEqual(invoice.amount_excl, D("3.00"))
        self.assertEqual(invoice.tax, D("0.39"))
        self.assertBalanced(invoice)

    def test_mixed_rates_are_balanced_per_rate(self):
        lines = [
            line(3, "33.33", "0.13"),
            line(7, "15.5", "0.09"),
            line(2, "0.99", "0.06"),
            line(5, "1.01", "0"),
            line(1, "100.01", "0.13", incl=False),
        ]
        invoice = compute_invoice(lines)
        self.assertEqual(set(invoice.by_rate()), {D("0.13"), D("0.09"), D("0.06"), D("0")})
        self.assertBalanced(invoice)

    def test_mixed_pricing_within_a_rate(self):
        invoice = compute_invoice([line(1, "10.01", "0.13"), line(1, "10.01", "0.13", incl=False)])
        self.assertEqual(invoice.amount_incl, D("10.01") + D("11.31"))
        self.assertBalanced(invoice)

    def test_tax_included_total_is_kept(self):
        lines = [line(q, p, "0.13") for q, p in ((3, "19.99"), (7, "0.07"), (11, "3.33"))]
        invoice = compute_invoice(lines)
        self.assertEqual(
            invoice.amount_incl, sum(amounts.fen(D(q) * D(p)) for q, p in ((3, "19.99"), (7, "0.07"), (11, "3.33")))
        )
        self.assertBalanced(invoice)

    def test_line_stays_within_one_fen_of_its_own_rounding(self):
        lines = [line(1, "0.05", "0.13")] * 50
        invoice = compute_invoice(lines)
        single = compute_line(lines[0])
        for result in invoice.lines:
            self.assertLessEqual(abs(result.amount_excl - single.amount_excl), D("0.01"))

    def test_empty_invoice(self):
        invoice = compute_invoice([])
        self.assertEqual((invoice.amount_excl, invoice.tax, invoice.amount_incl), (0, 0, 0))

    def test_two_thousand_random_lines_balance(self):
        rng = random.Random(11)
        rates = ["0.13", "0.09", "0.06", "0"]
        lines = [
            line(rng.randint(1, 500), f"{rng.uniform(0.01, 999):.4f}", rng.choice(rates), rng.random() < 0.7)
            for _ in range(2000)
        ]
        invoice = compute_invoice(lines)
        self.assertEqual(len(invoice.lines), 2000)
        self.assertBalanced(invoice)

    def test_random_invoices_always_pass_the_provider_checks(self):
        rng = random.Random(5)
        for _ in range(200):
            lines = [
                line(
                    rng.choice([1, 2, 3, "0.5", "1.25", 17]),
                    f"{rng.uniform(0, 50):.2f}",
                    rng.choice(["0.13", "0.09", "0.06", "0.03", "0"]),
                    rng.random() < 0.5,
                )
                for _ in range(rng.randint(1, 30))
            ]
            self.assertBalanced(compute_invoice(lines))

    def test_order_of_lines_is_kept(self):
        lines = [line(1, 10, "0.13"), line(2, 20, "0.09"), line(3, 30, "0.13")]
        invoice = compute_invoice(lines)
        self.assertEqual([r.quantity for r in invoice.lines], [D(1), D(2), D(3)])
        self.assertEqual([r.tax_rate for r in invoice.lines], [D("0.13"), D("0.09"), D("0.13")])


if __name__ == "__main__":
    unittest.main()
