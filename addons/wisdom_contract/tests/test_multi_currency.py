from lxml import etree

from odoo.tests import tagged

from odoo.addons.wisdom_crm_base.tests.common import CnyCompanyCase

from .common import WisdomContractCase


@tagged("post_install", "-at_install")
class TestMultiCurrencyCredit(WisdomContractCase, CnyCompanyCase):
    """An overseas contract in USD counts at the company rate of the day in the customer's credit
    exposure, and the credit-limit review compares the converted amount with the limit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only the credit limit is looked at here (the other checks are tested in test_contract_review)
        (cls.rule_floor | cls.rule_nonstandard | cls.rule_credit | cls.rule_overdue_block).action_archive()
        cls.rule_credit_limit = cls.env["wisdom.review.rule"].create(
            {"name": "Credit limit", "check_type": "credit_limit", "role": "finance"}
        )
        cls.customer = cls.customer_a1.with_company(cls.company)

    def _credit_result(self, order):
        findings = order.with_user(self.rep_a1).wisdom_review_findings()
        return {f["rule_id"]: f for f in findings}[self.rule_credit_limit.id]

    def test_usd_contract_counts_at_the_rate_of_the_day(self):
        usd_order = self._contract(lines=[(self.meter, 10, 100.0)], pricelist_id=self.usd_pricelist.id)
        self.assertEqual(usd_order.currency_id, self.usd)
        usd_order.action_confirm()
        cny_order = self._contract(lines=[(self.meter, 2, 600.0)])
        cny_order.action_confirm()
        self.assertEqual(cny_order.currency_id, self.company.currency_id)
        exposure = self.customer._wisdom_credit_exposure(company=self.company)
        expected = self.customer.credit + self._usd_to_cny(usd_order.amount_total) + cny_order.amount_total
        self.assertAlmostEqual(exposure, expected, places=2)
        self.assertGreater(exposure, 6 * usd_order.amount_total, "USD is not counted as if it were CNY")
        without = self.customer._wisdom_credit_exposure(exclude_orders=usd_order, company=self.company)
        self.assertAlmostEqual(without, self.customer.credit + cny_order.amount_total, places=2)

    def test_credit_limit_review_uses_the_converted_exposure(self):
        usd_order = self._contract(lines=[(self.meter, 10, 100.0)], pricelist_id=self.usd_pricelist.id)
        usd_order.action_confirm()
        usd_in_cny = self._usd_to_cny(usd_order.amount_total)
        self.customer.write({"use_partner_credit_limit": True, "credit_limit": usd_in_cny + 2000.0})
        # 1,200 CNY more fits under the limit ...
        small = self._contract(lines=[(self.meter, 2, 600.0)])
        self.assertLess(small.amount_total, 2000.0)
        self.assertEqual(self._credit_result(small)["result"], "pass")
        # ... 3,000 CNY more does not, although the USD figure itself (as CNY) is far below the limit
        large = self._contract(lines=[(self.meter, 5, 600.0)])
        self.assertGreater(large.amount_total, 2000.0)
        self.assertLess(usd_order.amount_total + large.amount_total, self.customer.credit_limit)
        finding = self._credit_result(large)
        self.assertEqual(finding["result"], "approval")
        self.assertEqual(finding["approver_role"], "finance")
        self.assertAlmostEqual(finding["observed"], self.customer.credit + usd_in_cny + large.amount_total, places=2)
        self.assertAlmostEqual(finding["threshold"], self.customer.credit_limit, places=2)

    def test_contract_pivot_adds_usd_and_cny_in_cny(self):
        usd_order = self._contract(lines=[(self.meter, 10, 100.0)], pricelist_id=self.usd_pricelist.id)
        cny_order = self._contract(lines=[(self.meter, 2, 600.0)])
        orders = usd_order | cny_order
        usd, cny = usd_order.amount_total, cny_order.amount_total
        self.assertEqual((usd_order.currency_id, cny_order.currency_id), (self.usd, self.company.currency_id))
        self.assertAlmostEqual(usd_order.amount_total_company, self._usd_to_cny(usd), places=2)
        self.assertAlmostEqual(usd_order.margin_company, self._usd_to_cny(usd_order.margin), places=2)
        self.assertEqual((cny_order.amount_total_company, cny_order.margin_company), (cny, cny_order.margin))
        pivot = self.env.ref("wisdom_contract.view_wisdom_contract_pivot")
        measures = etree.fromstring(pivot.arch).xpath("//field[@type='measure']/@name")
        self.assertEqual(measures, ["amount_total_company", "margin_company"])
        [group] = (
            self.env["sale.order"]
            .with_user(self.manager_a)
            .formatted_read_group([("id", "in", orders.ids)], [], [f"{m}:sum" for m in measures])
        )
        self.assertAlmostEqual(group["amount_total_company:sum"], self._usd_to_cny(usd) + cny, places=2)
        self.assertAlmostEqual(
            group["margin_company:sum"], self._usd_to_cny(usd_order.margin) + cny_order.margin, places=2
        )
        self.assertGreater(group["amount_total_company:sum"], 6 * usd + cny, "USD is not counted as if it were CNY")
