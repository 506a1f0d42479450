"""Credentials as an integrator sees them: XML-RPC against the running server."""

import xmlrpc.client

from odoo.tests import HttpCase, tagged

from odoo.addons.wisdom_crm_base.tests.common import WisdomRolesCase


@tagged("post_install", "-at_install")
class TestIntegrationCredentialsOverRpc(HttpCase, WisdomRolesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.endpoint = cls.env["wisdom.integration.endpoint"].create(
            {
                "name": "SAP test",
                "system": "sap",
                "base_url": "http://127.0.0.1:9",
                "api_key": "AK-rpc-0001",
                "password": "PW-rpc-0002",
            }
        )

    def _rpc(self, user, model, method, *args, **kwargs):
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, user.login, user.login, {})
        return self.xmlrpc_object.execute_kw(db, uid, user.login, model, method, list(args), kwargs)

    def test_sales_manager_cannot_read_credentials(self):
        for fields in (["name"], ["api_key"], ["password"]):
            with self.subTest(fields=fields), self.assertRaises(xmlrpc.client.Fault) as caught:
                self._rpc(self.manager_a, "wisdom.integration.endpoint", "read", [self.endpoint.id], fields=fields)
            self.assertEqual(caught.exception.faultCode, 4)  # AccessError
        with self.assertRaises(xmlrpc.client.Fault):
            self._rpc(self.manager_a, "wisdom.integration.endpoint", "search_read", [], fields=["api_key"])
        with self.assertRaises(xmlrpc.client.Fault):
            self._rpc(self.director, "wisdom.integration.message", "search_read", [], fields=["request_payload"])

    def test_integration_admin_reads_credentials_but_cannot_export_them(self):
        rows = self._rpc(
            self.integration_admin,
            "wisdom.integration.endpoint",
            "read",
            [self.endpoint.id],
            fields=["api_key", "password"],
        )
        self.assertEqual((rows[0]["api_key"], rows[0]["password"]), ("AK-rpc-0001", "PW-rpc-0002"))
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._rpc(
                self.integration_admin,
                "wisdom.integration.endpoint",
                "export_data",
                [self.endpoint.id],
                ["name", "api_key"],
            )
        self.assertNotIn("AK-rpc-0001", caught.exception.faultString)
