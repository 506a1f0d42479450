from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import MigrationCase

UPLOAD = "历史台账_巡检.zip"


@tagged("post_install", "-at_install")
class TestMigrationWizardTour(HttpCase, MigrationCase):
    """A contract admin (Chinese) imports workbooks through the wizard on a desktop screen: the tool
    is for the office (workbooks picked from a computer's disk, a preview table as wide as the
    mapping), so no phone tour."""

    browser_size = "1440x900"
    SAMPLE_CUSTOMERS = 5
    SEED = 35  # plants a refused contract line (so its contract), a cell of two contacts, an invoice of no line

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.admin = new_test_user(
            cls.env,
            login="t_mig_tour_admin",
            name="迁移管理员",
            groups="base.group_user,wisdom_crm_base.group_wisdom_contract_admin",
            lang="zh_CN",
        )
        if "odoobot_state" in cls.admin._fields:
            cls.admin.odoobot_state = "disabled"
        # the .zip the tour picks as a file from the admin's disk
        cls.env["ir.attachment"].with_user(cls.admin).create(
            {"name": UPLOAD, "datas": cls.zipped(), "mimetype": "application/zip"}
        )

    def test_upload_preview_run_and_result(self):
        Run = self.env["wisdom.migration.run"]
        with trap_jobs() as trap:
            self.start_tour("/odoo", "wisdom_migration_wizard", login=self.admin.login)
            trap.assert_jobs_count(1)
            [job] = trap.enqueued_jobs
            run = Run.browse(job.recordset.id)
            self.assertEqual((run.state, run.create_uid, run.source_filename), ("queued", self.admin, UPLOAD))
            # queued by a request whose cursor is closed: run on the test's, as the admin (as queue_job does)
            job.recordset = job.recordset.with_env(self.env(user=job.recordset.env.uid))
            trap.perform_enqueued_jobs()
        run.invalidate_recordset()
        self.assertEqual(run.state, "passed", run.failure_reasons)
        planted = sum(len(keys) for keys in self.manifest["rejected"].values())
        # what the result tour reads on the form
        self.assertEqual((run.rows_loaded, run.rows_rejected, run.accuracy, run.money_differences), (76, 4, 100.0, 0))
        self.assertEqual(run.rows_rejected, planted, "exactly the planted rows")
        self.start_tour(
            f"/odoo/action-wisdom_migration.action_wisdom_migration_run/{run.id}",
            "wisdom_migration_run_result",
            login=self.admin.login,
        )
