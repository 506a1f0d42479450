import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import MigrationCase


class TestMigrationRun(MigrationCase):
    SAMPLE_CUSTOMERS = 12
    SEED = 10  # plants a refused line and contract

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, groups):
            return new_test_user(cls.env, login=login, groups=groups, name=login)

        cls.contract_admin = user("t_mig_contract_admin", "base.group_user,wisdom_crm_base.group_wisdom_contract_admin")
        cls.other_admin = user("t_mig_contract_admin2", "base.group_user,wisdom_crm_base.group_wisdom_contract_admin")
        cls.admin = user("t_mig_admin", "base.group_user,base.group_system")
        cls.refused = [
            user("t_mig_rep", "wisdom_crm_base.group_wisdom_rep"),
            user("t_mig_manager", "wisdom_crm_base.group_wisdom_manager"),
            user("t_mig_director", "wisdom_crm_base.group_wisdom_director"),
            user("t_mig_finance", "wisdom_crm_base.group_wisdom_finance"),
            user("t_mig_pm", "wisdom_crm_base.group_wisdom_product_manager"),
            user("t_mig_integration", "wisdom_crm_base.group_wisdom_integration_admin"),
        ]

    def _wizard(self, user):
        return (
            self.env["wisdom.migration.wizard"]
            .with_user(user)
            .create({"source_file": self.zipped(), "source_filename": "历史数据.zip"})
        )

    def test_wizard_preview_then_queued_run_with_results(self):
        wizard = self._wizard(self.contract_admin)
        wizard.action_preview()
        self.assertIn("KH00001", wizard.preview_html)
        self.assertIn("客户名称 → name", wizard.preview_html)
        self.assertIn("回款计划", wizard.preview_html)
        with trap_jobs() as trap:
            action = wizard.action_start()
            trap.assert_jobs_count(1)
            run = self.env["wisdom.migration.run"].with_user(self.contract_admin).browse(action["res_id"])
            self.assertEqual(run.state, "queued")
            with self.enter_registry_test_mode():  # the job's progress cursor sees the test's transaction
                trap.perform_enqueued_jobs()
        run.invalidate_recordset()
        self.assertEqual(run.state, "passed", run.failure_reasons)
        self.assertEqual(run.accuracy, 100.0)
        self.assertEqual(run.money_differences, 0)
        self.assertEqual(run.progress, 100.0)
        self.assertGreater(run.rows_loaded, 100)
        self.assertEqual(run.rows_source, run.rows_loaded + run.rows_rejected)
        self.assertTrue(run.report_file and run.reject_file)
        self.assertIn("<table", run.summary_html)
        self.assertTrue(self.manifest["rejected"])
        for sheet, planted in self.manifest["rejected"].items():
            for reason in planted.values():
                self.assertIn(reason, run.summary_html, f"{sheet}: refused rows counted by reason")
        self.assertTrue(self.env.ref("migration.customers_KH00001"))

    def test_dry_run_keeps_nothing(self):
        run = (
            self.env["wisdom.migration.run"]
            .with_user(self.admin)
            .create({"source_file": self.zipped(), "source_filename": "历史数据.zip", "dry_run": True})
        )
        customers = self.env["res.partner"].search_count([])
        with self.enter_registry_test_mode():
            run.sudo()._wisdom_job_execute()
        self.assertEqual(run.state, "passed")
        self.assertGreater(run.rows_loaded, 100)
        self.assertEqual(self.env["res.partner"].search_count([]), customers)
        self.assertFalse(self.env.ref("migration.customers_KH00001", raise_if_not_found=False))

    def test_bad_upload_refused_with_a_clear_message(self):
        run = (
            self.env["wisdom.migration.run"]
            .with_user(self.contract_admin)
            .create({"source_file": base64.b64encode(b"not a zip"), "source_filename": "data.zip"})
        )
        with self.assertRaisesRegex(UserError, "data.zip is not a zip archive"):
            run.action_start()
        run.write(
            {
                "source_file": self.zipped(),
                "mapping_file": base64.b64encode(b"sheets: []"),
                "mapping_filename": "m.yaml",
            }
        )
        with self.assertRaisesRegex(UserError, "non-empty list 'sheets'"):
            run.action_start()

    def test_roles(self):
        Run = self.env["wisdom.migration.run"]
        mine = Run.with_user(self.contract_admin).create({"name": "mine"})
        theirs = Run.with_user(self.other_admin).create({"name": "theirs"})
        self.assertEqual(
            Run.with_user(self.contract_admin).search([("id", "in", (mine | theirs).ids)]),
            mine,
            "a contract admin sees the runs they started",
        )
        self.assertEqual(Run.with_user(self.admin).search([("id", "in", (mine | theirs).ids)]), mine | theirs)
        with self.assertRaises(AccessError):
            theirs.with_user(self.contract_admin).read(["name"])
        for user in self.refused:
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Run.with_user(user).create({"name": "x"})
                with self.assertRaises(AccessError):
                    mine.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self._wizard(user)
