import os
import shutil
import tempfile
from pathlib import Path

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestBackup(TransactionCase):
    """The weekly backup configuration installed with the suite (OCA auto_backup, NFR-04)."""

    def setUp(self):
        super().setUp()
        self.folder = tempfile.mkdtemp(prefix="wisdom-backup-test-")
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)

    def test_weekly_local_backup_configured_on_install(self):
        backup = self.env.ref("wisdom_crm_base.db_backup_local")
        self.assertEqual(backup.method, "local")
        self.assertEqual(backup.backup_format, "zip")
        self.assertEqual(backup.wisdom_keep_copies, 4)
        self.assertTrue(backup.folder.endswith(os.path.join("backups", self.env.cr.dbname)), backup.folder)
        cron = self.env.ref("auto_backup.ir_cron_backup_scheduler_0")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "weeks"))
        self.assertTrue(cron.active)

    def test_only_the_newest_copies_are_kept(self):
        names = [f"2026_11_{day:02d}_03_00_00.dump.zip" for day in range(1, 7)]
        for name in names:
            Path(self.folder, name).write_bytes(b"x")
        Path(self.folder, "notes.txt").write_text("not a backup")
        backup = self.env["db.backup"].create({"folder": self.folder, "wisdom_keep_copies": 3})
        backup.cleanup()
        self.assertEqual(sorted(os.listdir(self.folder)), sorted(names[-3:] + ["notes.txt"]))

    def test_negative_copies_refused(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["db.backup"].create({"folder": self.folder, "wisdom_keep_copies": -1}).flush_recordset()

    def test_failed_backup_gives_administrators_one_todo(self):
        blocker = Path(self.folder, "a-file")
        blocker.write_text("the backup folder cannot be created below a file")
        backup = self.env["db.backup"].create({"folder": str(blocker / "backups"), "wisdom_keep_copies": 2})
        admin = self.env.ref("base.user_admin")

        backup.action_backup()
        backup.action_backup()

        todos = backup.activity_ids.filtered(lambda act: act.user_id == admin)
        self.assertEqual(len(todos), 1, "a second failure must not pile up to-dos")
        self.assertIn(backup.name, str(todos.note))
        self.assertTrue(
            any(
                "backup" in (body or "").lower() or "备份" in (body or "") for body in backup.message_ids.mapped("body")
            )
        )
        self.assertFalse(os.path.exists(blocker / "backups"))

    def test_successful_backup_writes_a_zip_and_no_todo(self):
        backup = self.env["db.backup"].create({"folder": self.folder, "wisdom_keep_copies": 1})
        backup.action_backup()
        files = os.listdir(self.folder)
        self.assertEqual(len(files), 1, files)
        self.assertTrue(files[0].endswith(".dump.zip"))
        self.assertFalse(backup.activity_ids)

    def test_backups_are_for_administrators_only(self):
        director = new_test_user(self.env, login="t_backup_director", groups="wisdom_crm_base.group_wisdom_director")
        with self.assertRaises(AccessError):
            self.env["db.backup"].with_user(director).create({"folder": self.folder})
        with self.assertRaises(AccessError):
            self.env.ref("wisdom_crm_base.db_backup_local").with_user(director).write({"wisdom_keep_copies": 1})
