import logging
import os
from contextlib import contextmanager
from glob import iglob

from odoo import fields, models

_logger = logging.getLogger(__name__)


class DbBackup(models.Model):
    """OCA ``auto_backup`` with what the operations manual promises (NFR-04): a retention counted in
    copies as well as in days, and a to-do for the administrators when a backup fails (OCA only posts
    a chatter message, which nobody reads on a weekly job)."""

    _name = "db.backup"
    _inherit = ["db.backup", "mail.activity.mixin"]

    wisdom_keep_copies = fields.Integer(
        string="Copies to Keep",
        default=0,
        help="Keep only the newest N backups of this configuration in its folder (local disk); older ones "
        "are deleted after each successful backup. 0 keeps them by 'days to keep' only.",
    )

    _wisdom_keep_copies_positive = models.Constraint(
        "CHECK(wisdom_keep_copies >= 0)", "The number of copies to keep cannot be negative."
    )

    @contextmanager
    def backup_log(self):
        """OCA's context swallows the error after posting it; remember that it failed and tell the admins."""
        failed = []
        with super().backup_log():
            try:
                yield
            except Exception:
                failed.append(True)
                raise
        if failed:
            self._wisdom_notify_failure()

    def _wisdom_notify_failure(self):
        """One open to-do per administrator and configuration, however many runs fail before it is done."""
        self.ensure_one()
        admins = self.env.ref("base.group_system").sudo().user_ids.filtered(lambda user: user.active and not user.share)
        todo = self.env.ref("mail.mail_activity_data_todo")
        already = self.activity_ids.filtered(lambda act: act.activity_type_id == todo)
        for admin in admins - already.user_id:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=admin.id,
                summary=self.env._("Database backup failed"),
                note=self.env._(
                    "The scheduled backup %(name)s failed. Read the error in this record's messages, fix the "
                    "folder or the SFTP settings, then press 'Execute backup'.",
                    name=self.name,
                ),
            )
        _logger.error("Database backup failed: %s; administrators notified", self.name)

    def cleanup(self):
        result = super().cleanup()
        for backup in self.filtered(lambda rec: rec.method == "local" and rec.wisdom_keep_copies):
            backup._wisdom_cleanup_copies()
        return result

    def _wisdom_cleanup_copies(self):
        extension = "dump.zip" if self.backup_format == "zip" else self.backup_format
        # OCA names backups by their date (YYYY_MM_DD_HH_MM_SS), so the name orders them.
        files = sorted(iglob(os.path.join(self.folder, f"*.{extension}")), key=os.path.basename, reverse=True)
        for path in files[self.wisdom_keep_copies :]:
            try:
                os.unlink(path)
            except OSError:
                _logger.exception("Could not delete the old backup %s", path)
