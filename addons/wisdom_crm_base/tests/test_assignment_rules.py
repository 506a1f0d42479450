from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import WisdomRolesCase


@tagged("post_install", "-at_install")
class TestAssignmentRules(WisdomRolesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hunan = cls.env.ref("base.state_cn_HN")
        cls.rule = cls.env["wisdom.assignment.rule"].create(
            {
                "name": "湖南电网客户",
                "state_ids": [Command.set(cls.hunan.ids)],
                "categories": "grid",
                "team_id": cls.team_a.id,
                "method": "round_robin",
                "apply_to_new": True,
                "apply_to_pool": True,
            }
        )

    def _customer(self, **vals):
        return self.env["res.partner"].create(
            {
                "is_company": True,
                "wisdom_customer": True,
                "state_id": self.hunan.id,
                "customer_category": "grid",
                **vals,
            }
        )

    def test_new_customers_without_owner_go_round_robin(self):
        owners = [self._customer(name=f"湖南电网客户{i}").user_id for i in range(3)]
        self.assertEqual(len({owner.id for owner in owners}), 2)
        self.assertEqual(owners[0], owners[2])
        self.assertTrue(self.env["wisdom.pool.log"].search([("partner_id.name", "=", "湖南电网客户0")]))

    def test_unmatched_or_owned_customers_are_left_alone(self):
        self.assertFalse(self._customer(name="广东客户", state_id=self.env.ref("base.state_cn_GD").id).user_id)
        self.assertEqual(self._customer(name="自有客户", user_id=self.rep_b1.id).user_id, self.rep_b1)

    def test_least_loaded_and_pool(self):
        self.rule.method = "least_loaded"
        pooled = self._customer(name="池中湖南客户", pool_state="pool", user_id=False)
        self.assertFalse(pooled.user_id)
        self.env["wisdom.assignment.rule"]._cron_allocate_pool_customers()
        self.assertIn(pooled.user_id, self.rep_a1 | self.rep_a2)
        self.assertEqual(pooled.pool_state, "private")

    def test_unknown_category_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Unknown customer categories"):
            self.rule.categories = "grid,utility"
