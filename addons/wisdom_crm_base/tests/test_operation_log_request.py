"""The operation log links the HTTP request only when one is really served: Odoo's own tests run
code under ``MockRequest`` (a ``Mock`` in place of the request), which OCA auditlog sent to SQL."""

from odoo.tests import HttpCase, tagged

from odoo.addons.http_routing.tests.common import MockRequest


@tagged("post_install", "-at_install")
class TestOperationLogRequest(HttpCase):
    def setUp(self):
        super().setUp()
        rule = self.env.ref("wisdom_crm_base.auditlog_rule_partner")
        if rule.state != "confirmed":
            rule.set_to_confirmed()

    def _logs(self, partner):
        return (
            self.env["auditlog.log"]
            .sudo()
            .search(
                [
                    ("model_model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                ]
            )
        )

    def test_change_under_a_mocked_request_is_logged_without_request(self):
        with MockRequest(self.env):
            partner = self.env["res.partner"].create({"name": "操作日志测试联系人"})
            partner.write({"phone": "0731-8123 4567"})
        logs = self._logs(partner)
        self.assertEqual(sorted(logs.mapped("method")), ["create", "write"])
        self.assertFalse(logs.http_request_id)
        self.assertFalse(logs.http_session_id)

    def test_change_over_http_is_logged_with_its_request(self):
        self.authenticate("admin", "admin")
        partner_id = self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.partner/create",
            {"model": "res.partner", "method": "create", "args": [{"name": "操作日志测试联系人"}], "kwargs": {}},
        )
        logs = self._logs(self.env["res.partner"].browse(partner_id))
        self.assertEqual(logs.mapped("method"), ["create"])
        self.assertEqual(logs.http_request_id.name, "/web/dataset/call_kw/res.partner/create")
        self.assertTrue(logs.http_session_id)
