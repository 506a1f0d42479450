import unittest

from odoo.addons.wisdom_contract.tools import review as rv

METER = 10


def line(key=1, **values):
    base = {
        "product": f"P{key}",
        "category_ids": frozenset({METER}),
        "qty": 10,
        "price": 100.0,
        "list_price": 100.0,
        "floor_price": 80.0,
        "cost": 60.0,
    }
    base.update(values)
    return rv.LineSnapshot(key=key, **base)


def contract(lines=None, **values):
    return rv.ContractSnapshot(lines=tuple(lines if lines is not None else [line()]), **values)


def rule(check_type, threshold=0.0, **values):
    return rv.Rule(rule_id=values.pop("rule_id", 1), check_type=check_type, threshold=threshold, **values)


class TestReviewRules(unittest.TestCase):
    def outcomes(self, snapshot, *rules):
        return [f.outcome for f in rv.evaluate(snapshot, rules).findings]

    def test_price_floor_boundary(self):
        r = rule("price_floor")
        self.assertEqual(self.outcomes(contract([line(price=80.0)]), r), [rv.PASS])
        self.assertEqual(self.outcomes(contract([line(price=79.99)]), r), [rv.APPROVAL])
        # The line's own discount counts: 100 at 20.01 % is 79.99.
        self.assertEqual(self.outcomes(contract([line(price=100, discount=20.01)]), r), [rv.APPROVAL])
        self.assertEqual(self.outcomes(contract([line(price=1, floor_price=0)]), r), [rv.PASS])

    def test_price_floor_one_finding_per_line_with_message(self):
        result = rv.evaluate(contract([line(1, price=70), line(2, price=90), line(3, price=50)]), [rule("price_floor")])
        self.assertEqual([f.line_key for f in result.findings], [1, 3])
        self.assertEqual(rv.message_code(result.findings[0]), "price_floor")
        self.assertEqual(rv.message_params(result.findings[0]), {"product": "P1", "observed": 70.0, "threshold": 80.0})
        self.assertEqual((result.findings[0].observed, result.findings[0].threshold), (70.0, 80.0))

    def test_message_codes_and_parameters(self):
        passed = rv.evaluate(contract([line(price=90)]), [rule("price_floor")]).findings[0]
        self.assertEqual((rv.message_code(passed), rv.message_params(passed)["product"]), (rv.PASS_CODE, ""))
        overdue = rv.evaluate(contract(overdue_amount=12345.678), [rule("overdue", 1000)]).findings[0]
        self.assertEqual(rv.message_code(overdue), "overdue")
        self.assertEqual(
            rv.format_message_params("overdue", rv.message_params(overdue)),
            {"product": "", "observed": "12,345.68", "threshold": "1,000.00"},
        )
        discount = {"product": "P", "observed": 17.5, "threshold": 15}
        self.assertEqual(
            rv.format_message_params("discount_limit", discount),
            {"product": "P", "observed": "17.50", "threshold": "15.00"},
        )
        self.assertEqual(rv.format_message_params("credit_days", {"observed": 60, "threshold": 30})["observed"], "60")

    def test_discount_limit_boundary(self):
        r = rule("discount_limit", 15)
        self.assertEqual(self.outcomes(contract([line(price=85)]), r), [rv.PASS])
        self.assertEqual(self.outcomes(contract([line(price=84.99)]), r), [rv.APPROVAL])
        self.assertEqual(self.outcomes(contract([line(price=10, list_price=0)]), r), [rv.PASS])

    def test_discount_limit_scoped_to_product_category(self):
        r = rule("discount_limit", 5, product_category_ids=frozenset({99}))
        self.assertEqual(self.outcomes(contract([line(price=50)]), r), [])
        other = line(2, price=50, category_ids=frozenset({99, 98}))
        result = rv.evaluate(contract([line(price=50), other]), [r])
        self.assertEqual([(f.outcome, f.line_key) for f in result.findings], [(rv.APPROVAL, 2)])

    def test_margin_min_boundary(self):
        r = rule("margin_min", 40)
        self.assertEqual(self.outcomes(contract([line(price=100, cost=60)]), r), [rv.PASS])
        self.assertEqual(self.outcomes(contract([line(price=100, cost=60.01)]), r), [rv.APPROVAL])
        self.assertEqual(self.outcomes(contract([]), r), [rv.PASS])
        self.assertAlmostEqual(rv.margin_percent([line(price=200, cost=50)]), 75.0)

    def test_nonstandard_goes_to_product_manager(self):
        r = rule("nonstandard", role=rv.ROLE_PRODUCT_MANAGER)
        result = rv.evaluate(contract([line(1), line(2, nonstandard=True)]), [r])
        self.assertEqual(
            [(f.outcome, f.role, f.line_key) for f in result.findings], [(rv.APPROVAL, "product_manager", 2)]
        )
        self.assertTrue(result.needs(rv.ROLE_PRODUCT_MANAGER))
        self.assertFalse(result.needs(rv.ROLE_DIRECTOR))

    def test_credit_days_against_allowance(self):
        r = rule("credit_days", role=rv.ROLE_FINANCE)
        self.assertEqual(self.outcomes(contract(credit_days=90, credit_days_allowed=90), r), [rv.PASS])
        self.assertEqual(self.outcomes(contract(credit_days=91, credit_days_allowed=90), r), [rv.APPROVAL])
        # The threshold is a tolerance on top of the allowance.
        self.assertEqual(
            self.outcomes(contract(credit_days=100, credit_days_allowed=90), rule("credit_days", 10)), [rv.PASS]
        )

    def test_overdue_boundary_and_block(self):
        r = rule("overdue", 0, outcome=rv.BLOCK)
        self.assertEqual(self.outcomes(contract(overdue_amount=0), r), [rv.PASS])
        result = rv.evaluate(contract(overdue_amount=0.01), [r])
        self.assertEqual([f.outcome for f in result.blocking], [rv.BLOCK])
        self.assertEqual(result.findings[0].role, "")

    def test_credit_limit_includes_this_contract(self):
        r = rule("credit_limit", role=rv.ROLE_FINANCE)
        self.assertEqual(self.outcomes(contract(credit_limit=0, credit_exposure=1e9, amount=1), r), [rv.PASS])
        self.assertEqual(self.outcomes(contract(credit_limit=1000, credit_exposure=600, amount=400), r), [rv.PASS])
        self.assertEqual(
            self.outcomes(contract(credit_limit=1000, credit_exposure=600, amount=400.01), r), [rv.APPROVAL]
        )

    def test_delivery_lead_uses_longest_product_lead_time(self):
        r = rule("delivery_lead", 30)
        lines = [line(1, lead_days=45), line(2, lead_days=20)]
        self.assertEqual(self.outcomes(contract(lines, delivery_days=45), r), [rv.PASS])
        self.assertEqual(self.outcomes(contract(lines, delivery_days=44), r), [rv.APPROVAL])
        self.assertEqual(self.outcomes(contract([line()], delivery_days=29), r), [rv.APPROVAL])
        self.assertEqual(self.outcomes(contract([line()], delivery_days=0), r), [rv.PASS])

    def test_warranty_longer_than_standard(self):
        r = rule("warranty", 24)
        self.assertEqual(self.outcomes(contract(warranty_months=24), r), [rv.PASS])
        self.assertEqual(self.outcomes(contract(warranty_months=25), r), [rv.APPROVAL])
        self.assertEqual(self.outcomes(contract([line(warranty_months=36)], warranty_months=36), r), [rv.PASS])

    def test_prepayment_min_and_retention_max(self):
        self.assertEqual(self.outcomes(contract(prepayment_percent=30), rule("prepayment_min", 30)), [rv.PASS])
        self.assertEqual(self.outcomes(contract(prepayment_percent=29.99), rule("prepayment_min", 30)), [rv.APPROVAL])
        self.assertEqual(self.outcomes(contract(retention_percent=10), rule("retention_max", 10)), [rv.PASS])
        self.assertEqual(self.outcomes(contract(retention_percent=10.01), rule("retention_max", 10)), [rv.APPROVAL])

    def test_amount_above(self):
        r = rule("amount_above", 1_000_000)
        self.assertEqual(self.outcomes(contract(amount=1_000_000), r), [rv.PASS])
        self.assertEqual(self.outcomes(contract(amount=1_000_000.01), r), [rv.APPROVAL])

    def test_scope_by_contract_type_category_grade(self):
        r = rule("amount_above", 0, contract_types=frozenset({"bid"}), customer_grades=frozenset({"A"}))
        self.assertEqual(self.outcomes(contract(amount=5, contract_type="standard", customer_grade="A"), r), [])
        self.assertEqual(self.outcomes(contract(amount=5, contract_type="bid", customer_grade="B"), r), [])
        self.assertEqual(self.outcomes(contract(amount=5, contract_type="bid", customer_grade="A"), r), [rv.APPROVAL])
        r2 = rule("amount_above", 0, customer_categories=frozenset({"grid"}))
        self.assertEqual(self.outcomes(contract(amount=5, customer_category="industrial"), r2), [])

    def test_fingerprint_per_role_ignores_other_roles(self):
        rules = [rule("price_floor", rule_id=1), rule("nonstandard", rule_id=2, role=rv.ROLE_PRODUCT_MANAGER)]
        before = rv.evaluate(contract([line(1, price=70), line(2, nonstandard=True)]), rules)
        cheaper = rv.evaluate(contract([line(1, price=60), line(2, nonstandard=True)]), rules)
        self.assertNotEqual(before.role_fingerprint(rv.ROLE_DIRECTOR), cheaper.role_fingerprint(rv.ROLE_DIRECTOR))
        self.assertEqual(
            before.role_fingerprint(rv.ROLE_PRODUCT_MANAGER), cheaper.role_fingerprint(rv.ROLE_PRODUCT_MANAGER)
        )

    def test_bad_rules_are_refused(self):
        with self.assertRaises(rv.ReviewRuleError):
            rv.evaluate(contract(), [rule("unknown")])
        with self.assertRaises(rv.ReviewRuleError):
            rv.evaluate(contract(), [rule("amount_above", outcome="maybe")])
        with self.assertRaises(rv.ReviewRuleError):
            rv.evaluate(contract(), [rule("amount_above", role="")])

    def test_every_check_type_has_a_number_format(self):
        self.assertEqual(set(rv.CHECKS), set(rv.NUMBER_FORMATS))
