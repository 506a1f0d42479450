from unittest.mock import patch

from odoo import Command
from odoo.tests import TransactionCase

from odoo.addons.analytic.models.analytic_distribution_model import AccountAnalyticDistributionModel


class TestMigrationAnalyticDistribution(TransactionCase):
    """A migration run looks the analytic distribution models up once per product, customer and
    company instead of once per contract line: the lines get the same distribution as in standard Odoo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        plan = cls.env["account.analytic.plan"].create({"name": "迁移测试分析计划"})
        cls.account = cls.env["account.analytic.account"].create({"name": "电表事业部", "plan_id": plan.id})
        cls.product = cls.env["product.product"].create({"name": "迁移测试电表", "list_price": 100.0})
        cls.other_product = cls.env["product.product"].create({"name": "迁移测试互感器", "list_price": 80.0})
        cls.env["account.analytic.distribution.model"].create(
            {"product_id": cls.product.id, "analytic_distribution": {str(cls.account.id): 100}}
        )
        cls.customer = cls.env["res.partner"].create({"name": "迁移分析测试客户", "is_company": True})

    def _contracts(self, env):
        lookups = []
        applicable = AccountAnalyticDistributionModel._get_applicable_models

        def counting(model, vals):
            lookups.append(vals.get("product_id"))
            return applicable(model, vals)

        with patch.object(AccountAnalyticDistributionModel, "_get_applicable_models", counting):
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": self.customer.id,
                        "order_line": [
                            Command.create({"product_id": self.product.id, "product_uom_qty": 1 + index}),
                            Command.create({"product_id": self.other_product.id, "product_uom_qty": 2}),
                        ],
                    }
                    for index in range(5)
                ]
            )
            env.flush_all()
        return [(line.product_id, line.analytic_distribution) for line in orders.order_line], lookups

    def test_same_distribution_looked_up_once(self):
        standard, standard_lookups = self._contracts(self.env)
        migrated, migrated_lookups = self._contracts(self.env(context={"wisdom_migration": True}))

        self.assertEqual(migrated, standard)
        self.assertIn((self.product, {str(self.account.id): 100}), migrated)
        self.assertIn((self.other_product, False), migrated)
        self.assertGreaterEqual(len(standard_lookups), 10, "at least one look-up per line")
        self.assertEqual(sorted(migrated_lookups), sorted([self.product.id, self.other_product.id]))
