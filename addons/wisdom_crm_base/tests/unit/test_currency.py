import unittest

from odoo.addons.wisdom_crm_base.tools import currency


class TestCompanyCurrency(unittest.TestCase):
    def test_convert_rounds_half_up_to_the_company_currency(self):
        self.assertEqual(currency.convert(1000.0, 7.142857, 0.01), 7142.86)
        self.assertEqual(currency.convert(0.5, 0.01, 0.01), 0.01)
        self.assertEqual(currency.convert(100.0, 1.0, 0.01), 100.0)

    def test_sums_by_currency_adds_each_currency_once(self):
        rows = [("USD", 100.0), ("CNY", 50.0), ("USD", 20.0), ("EUR", None)]
        self.assertEqual(currency.sums_by_currency(rows), {"USD": 120.0, "CNY": 50.0, "EUR": 0.0})

    def test_company_total_converts_each_currency(self):
        rates = {"CNY": 1.0, "USD": 1 / 0.14, "EUR": 7.8}
        total = currency.company_total({"CNY": 500.0, "USD": 1000.0, "EUR": 0.0}, rates, 0.01)
        self.assertEqual(total, 500.0 + 7142.86)

    def test_missing_rate_is_an_error_not_zero(self):
        with self.assertRaises(currency.MissingRate):
            currency.company_total({"USD": 1.0}, {"CNY": 1.0}, 0.01)
        self.assertEqual(currency.company_total({"USD": 0.0}, {}, 0.01), 0.0)
