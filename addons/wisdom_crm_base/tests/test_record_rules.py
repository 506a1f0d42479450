from odoo.tests import tagged

from .common import WisdomRolesCase


@tagged("post_install", "-at_install")
class TestRecordRulesSmoke(WisdomRolesCase):
    def test_rep_sees_own_customer_only(self):
        visible = self.env["res.partner"].with_user(self.rep_a1).search([("wisdom_customer", "=", True)])
        self.assertIn(self.customer_a1, visible)
        self.assertNotIn(self.customer_a2, visible)
