import unittest

from odoo.addons.wisdom_crm_base.tools import credit_code


class TestCreditCode(unittest.TestCase):
    def test_published_codes_are_valid(self):
        for code in ("91350100M000100Y43", "91110000600037341L", "914403001922038216"):
            with self.subTest(code=code):
                self.assertEqual(credit_code.validate(code), code)

    def test_full_width_lower_case_is_normalised(self):
        self.assertEqual(credit_code.validate("９１３５０１００ｍ０００１００ｙ４３"), "91350100M000100Y43")

    def test_every_single_character_change_is_caught(self):
        code = "91350100M000100Y43"
        for position in range(18):
            for char in credit_code.CHARSET:
                if char == code[position]:
                    continue
                mutated = code[:position] + char + code[position + 1 :]
                if position in range(2, 8) and not char.isdigit():
                    continue  # reported as a division error, covered below
                with self.subTest(mutated=mutated):
                    self.assertFalse(credit_code.is_valid(mutated))

    def test_errors_name_the_problem(self):
        cases = {
            "9135010": "length",
            "91350100M000100I43": "charset",
            "9135A100M000100Y43": "division",
            "91350100M000100Y44": "check",
        }
        for code, reason in cases.items():
            with self.subTest(code=code), self.assertRaises(credit_code.CreditCodeError) as caught:
                credit_code.validate(code)
            self.assertEqual(caught.exception.reason, reason)

    def test_build_composes_valid_codes(self):
        code = credit_code.build("9", "1", "430100", "18380976")
        self.assertTrue(credit_code.is_valid(code))
        self.assertEqual(code[8:17][-1], credit_code.org_code_check_character("18380976"))
