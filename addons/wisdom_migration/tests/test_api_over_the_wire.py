"""The migration's public methods called over the wire as a contract admin: once through JSON-2 and
once through XML-RPC. A fault, an HTTP error, a value XML-RPC cannot carry or a public method the flow
forgot to call fails the test."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.wisdom_fulfillment.tests.wire import OverTheWireMixin, public_methods

from .common import MigrationCase


class MigrationApiCase(OverTheWireMixin, HttpCase, MigrationCase):
    SAMPLE_CUSTOMERS = 12
    SEED = 11  # a workbook of its own (the other migration tests load seeds 7 and 10)

    def _flow(self):
        admin = new_test_user(
            self.env,
            login="t_mig_wire_admin",
            name="迁移管理员",
            groups="base.group_user,wisdom_crm_base.group_wisdom_contract_admin",
        )
        upload = {"source_file": self.zipped().decode(), "source_filename": "历史数据.zip"}
        wizard = self.make(admin, "wisdom.migration.wizard", upload)
        self.assertEqual(self.call(admin, "wisdom.migration.wizard", "action_preview", wizard.ids)["res_id"], wizard.id)
        self.assertIn("KH00001", wizard.preview_html)
        with trap_jobs() as trap:
            action = self.call(admin, "wisdom.migration.wizard", "action_start", wizard.ids)
            run = self.env["wisdom.migration.run"].browse(action["res_id"])
            # a run created directly (as a script would) and started: a dry run
            dry = self.make(admin, "wisdom.migration.run", dict(upload, dry_run=True))
            self.assertTrue(self.call(admin, "wisdom.migration.run", "action_start", dry.ids))
            self.assertEqual((run.state, dry.state), ("queued", "queued"))
            trap.assert_jobs_count(2)
            for job in trap.enqueued_jobs:  # queued by a request whose cursor is closed: run on the test's
                job.recordset = job.recordset.with_env(self.env(user=job.recordset.env.uid))
            trap.perform_enqueued_jobs()
        self.env.invalidate_all()
        self.assertEqual((run.state, run.accuracy), ("passed", 100.0), run.failure_reasons)
        self.assertEqual(dry.state, "passed", dry.failure_reasons)
        missing = public_methods(self.env, ("wisdom_migration",)) - self.called
        self.assertFalse(missing, "public methods never called over the wire")


@tagged("post_install", "-at_install")
class TestMigrationApiOverJson2(MigrationApiCase):
    def test_every_public_method_over_json2(self):
        self.protocol = self._json2
        self._flow()


@tagged("post_install", "-at_install")
class TestMigrationApiOverXmlRpc(MigrationApiCase):
    def test_every_public_method_over_xmlrpc(self):
        self.protocol = self._xmlrpc
        self._flow()
