"""Access to the bridge's configuration and token per role, and the SAP fields of the contract."""

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SapBridgeCase


@tagged("post_install", "-at_install")
class TestBridgeSecurity(SapBridgeCase):
    def roles(self):
        return [self.rep_a1, self.manager_a, self.director, self.product_manager, self.finance, self.contract_admin]

    def test_sap_functions_for_the_integration_admin_only(self):
        Function = self.env["wisdom.sap.function"]
        for user in self.roles():
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Function.with_user(user).search([])
        admin = Function.with_user(self.integration_admin)
        self.assertEqual(admin.search([]), Function.sudo().search([]))
        self.assertIn(self.env.ref("wisdom_sap_bridge.sap_function_sales_order_create"), admin.search([]))
        created = admin.create(
            {"name": "Find v2", "operation": "sales_order_find", "function_name": "ZFind2", "active": False}
        )
        created.write({"function_name": "ZFind3"})
        created.unlink()

    def test_sap_functions_of_another_company_are_hidden(self):
        other = self.env["res.company"].create({"name": "Other company"})
        foreign = self.env["wisdom.sap.function"].create(
            {
                "name": "Other create",
                "operation": "sales_order_create",
                "function_name": "ZOther",
                "company_id": other.id,
            }
        )
        visible = self.env["wisdom.sap.function"].with_user(self.integration_admin).search([])
        self.assertNotIn(foreign, visible)
        self.assertEqual(self.env["wisdom.sap.function"]._wisdom_for("sales_order_create", other), foreign)
        self.assertEqual(
            self.env["wisdom.sap.function"]._wisdom_for("sales_order_create", self.env.company),
            self.env.ref("wisdom_sap_bridge.sap_function_sales_order_create"),
        )

    def test_wecom_tokens_are_read_by_nobody_but_administrators(self):
        token = self.env["wisdom.wecom.token"].create(
            {"endpoint_id": self.wecom_endpoint.id, "access_token": "TOKEN-SECRET", "expires_at": "2030-01-01"}
        )
        for user in [*self.roles(), self.integration_admin]:
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                token.with_user(user).read(["access_token"])
        self.assertEqual(token.with_user(self.env.ref("base.user_admin")).access_token, "TOKEN-SECRET")

    def test_agent_id_is_a_credential(self):
        with self.assertRaises(AccessError):
            self.wecom_endpoint.with_user(self.rep_a1).read(["wecom_agent_id"])
        self.assertEqual(self.wecom_endpoint.with_user(self.integration_admin).wecom_agent_id, "1000002")

    def test_contract_sap_fields_per_role(self):
        order = self._contract()
        order.with_user(self.rep_a1).action_confirm()
        message = order.sudo().sap_message_id
        self.assertTrue(message)
        for user in (self.rep_a1, self.manager_a, self.finance):
            values = order.with_user(user).read(["sap_state", "sap_error", "sap_order_no"])[0]
            self.assertEqual(values["sap_state"], "queued")
            with self.assertRaises(AccessError):
                order.with_user(user).read(["sap_message_id"])
            with self.assertRaises(AccessError):
                order.with_user(user).write({"sap_order_no": "123"})
        self.assertEqual(message.with_user(self.integration_admin).res_id, order.id)
        with self.assertRaises(AccessError):
            message.with_user(self.contract_admin).read(["state"])
        # a rep of another team does not see the contract at all
        with self.assertRaises(AccessError):
            order.with_user(self.rep_b1).read(["sap_state"])

    def test_wecom_userid_is_unique(self):
        self.rep_a1.wecom_userid = "Same"
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.rep_a2.wecom_userid = "Same"
            self.env.flush_all()
