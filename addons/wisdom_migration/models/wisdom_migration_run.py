import base64
import logging
from collections import Counter
from pathlib import Path

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import mapping, report, workbook
from .migration_loader import Loader
from .migration_messages import renderer, report_labels

_logger = logging.getLogger(__name__)

RUN_STATES = [
    ("draft", "Draft"),
    ("queued", "Queued"),
    ("passed", "Passed"),
    ("failed", "Failed"),
    ("error", "Error"),
]
ALLOWED_GROUPS = ("base.group_system", "wisdom_crm_base.group_wisdom_contract_admin")
DEFAULT_MAPPING = Path(__file__).resolve().parent.parent / "data" / "mapping_default.yaml"


class WisdomMigrationRun(models.Model):
    _name = "wisdom.migration.run"
    _description = "Data Migration Run"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(
        string="Run",
        required=True,
        default=lambda self: self.env._("Migration %s", fields.Datetime.to_string(fields.Datetime.now())[:16]),
    )
    state = fields.Selection(RUN_STATES, string="Status", default="draft", required=True, tracking=True)
    dry_run = fields.Boolean(string="Dry Run", help="Load, reconcile and report, then roll everything back.")
    source_file = fields.Binary(
        string="Source Workbooks", attachment=True, help="A .zip of the workbooks, or one .xls or .xlsx workbook."
    )
    source_filename = fields.Char(string="Source File Name")
    mapping_file = fields.Binary(
        string="Mapping File", attachment=True, help="YAML or JSON; empty: the mapping shipped with the module."
    )
    mapping_filename = fields.Char(string="Mapping File Name")
    progress = fields.Float(string="Progress", compute="_compute_progress")
    progress_message = fields.Char(string="Step", compute="_compute_progress")
    rows_source = fields.Integer(string="Source Rows", readonly=True)
    rows_loaded = fields.Integer(string="Loaded", readonly=True)
    rows_created = fields.Integer(string="Created", readonly=True)
    rows_updated = fields.Integer(string="Updated", readonly=True)
    rows_merged = fields.Integer(string="Merged Duplicates", readonly=True)
    rows_flagged = fields.Integer(string="Customers to Review", readonly=True)
    rows_rejected = fields.Integer(string="Rejected", readonly=True)
    fields_compared = fields.Integer(string="Fields Compared", readonly=True)
    fields_equal = fields.Integer(string="Fields Equal", readonly=True)
    accuracy = fields.Float(string="Accuracy %", digits=(6, 3), readonly=True)
    money_differences = fields.Integer(
        string="Money Differences",
        readonly=True,
        help="Customer and contract totals that differ between source and database.",
    )
    failure_reasons = fields.Text(string="Why It Failed", readonly=True)
    summary_html = fields.Html(string="Summary", readonly=True, sanitize=False)
    report_file = fields.Binary(string="Reconciliation Report", attachment=True, readonly=True)
    report_filename = fields.Char(readonly=True)
    reject_file = fields.Binary(string="Rejected Rows", attachment=True, readonly=True)
    reject_filename = fields.Char(readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True)

    def init(self):
        # Progress of running jobs lives apart from the run's row: the job's transaction writes that
        # row at the end, and a committed progress update on it would make that write fail
        # (repeatable read). No foreign key: a run started from the command line is not committed yet.
        self.env.execute_query(
            SQL(
                """CREATE TABLE IF NOT EXISTS wisdom_migration_progress (
                   run_id integer PRIMARY KEY, percent double precision, message varchar)"""
            )
        )

    # COMPUTE METHODS

    def _compute_progress(self):
        rows = dict.fromkeys(self.ids, (0.0, ""))
        if self.ids:
            rows.update(
                {
                    run_id: (percent, message)
                    for run_id, percent, message in self.env.execute_query(
                        SQL(
                            "SELECT run_id, percent, message FROM wisdom_migration_progress WHERE run_id IN %s",
                            tuple(self.ids),
                        )
                    )
                }
            )
        for run in self:
            done = run.state in ("passed", "failed")
            run.progress, run.progress_message = (100.0, "") if done else rows.get(run.id, (0.0, ""))

    # ACTION METHODS

    def action_start(self):
        """Queue the run (queue_job): the user follows the progress on the form."""
        self._wisdom_check_allowed()
        for run in self:
            if run.state not in ("draft", "error"):
                raise UserError(self.env._("Run %s has already been started.", run.name))
            run._wisdom_parse_inputs()  # refuse a bad upload now rather than in the job
            run.state = "queued"
            run.with_delay(description=self.env._("Data migration %s", run.name))._wisdom_job_execute()
        return True

    # BUSINESS METHODS

    @api.model
    def _wisdom_check_allowed(self):
        if not self.env.su and not any(self.env.user.has_group(group) for group in ALLOWED_GROUPS):
            raise AccessError(self.env._("Only administrators and contract admins may run data migrations."))

    def _wisdom_parse_inputs(self):
        """``(sheets, files)`` of the run's upload, or UserError with what is wrong."""
        self.ensure_one()
        try:
            if self.mapping_file:
                sheets = mapping.load(base64.b64decode(self.mapping_file), self.mapping_filename or "mapping.yaml")
            else:
                sheets = mapping.load(DEFAULT_MAPPING.read_bytes(), DEFAULT_MAPPING.name)
            files = workbook.source_files(base64.b64decode(self.source_file or b""), self.source_filename or "")
        except (mapping.MappingError, workbook.WorkbookError) as error:
            raise UserError(self.env._("The upload cannot be used: %s", str(error))) from error
        return sheets, files

    def _wisdom_job_execute(self):
        """Job: load, reconcile, store the figures and the two workbooks."""
        self.ensure_one()
        sheets, files = self._wisdom_parse_inputs()
        try:
            loader = self._wisdom_load(sheets, files)
        except (mapping.MappingError, workbook.WorkbookError) as error:
            self.write({"state": "error", "failure_reasons": str(error)})
            return False
        self._wisdom_store_results(loader)
        return True

    def _wisdom_load(self, sheets, files):
        started = fields.Datetime.now()
        if self.dry_run:
            # what was written before the dry run must reach the database first: the rollback below
            # drops the cache, and pending writes with it
            self.env.flush_all()
            with self.env.cr.savepoint(flush=False) as savepoint:
                loader = Loader(self.env, sheets, files, progress=self._wisdom_progress).run()
                savepoint.rollback()
                self.env.invalidate_all()
        else:
            loader = Loader(self.env, sheets, files, progress=self._wisdom_progress).run()
        loader.duration = (fields.Datetime.now() - started).total_seconds()
        return loader

    def _wisdom_progress(self, fraction, message):
        """Progress on a cursor of its own (committed at once, so the form shows it while the job
        runs); it never touches the run's row, which the job's transaction writes at the end."""
        with self.env.registry.cursor() as cr:
            cr.execute(
                SQL(
                    """INSERT INTO wisdom_migration_progress (run_id, percent, message) VALUES (%s, %s, %s)
                   ON CONFLICT (run_id) DO UPDATE SET percent = EXCLUDED.percent, message = EXCLUDED.message""",
                    self.id,
                    round(fraction * 100, 1),
                    message,
                )
            )

    def _wisdom_store_results(self, loader):
        """Store the figures and the two workbooks, worded in the language of the user who started
        the run (the job runs as that user)."""
        return self.with_context(lang=self.env.user.lang or "en_US")._wisdom_write_results(loader)

    def _wisdom_write_results(self, loader):
        result = loader.reconciliation
        tallies = list(loader.tally.values())
        failures = self._wisdom_failures(result)
        render = renderer(self.env)
        labels = report_labels(self.env)
        summary = [
            (self.env._("Run"), self.name),
            (self.env._("Dry run"), self.dry_run),
            (self.env._("Source rows"), sum(t.source_rows for t in tallies)),
            (self.env._("Loaded"), sum(t.loaded for t in tallies)),
            (self.env._("Rejected"), sum(t.rejected for t in tallies)),
            (self.env._("Fields compared"), result.compared),
            (self.env._("Fields equal"), result.equal_count),
            (self.env._("Accuracy %"), result.accuracy),
            (self.env._("Money differences"), result.money_difference_count),
            (self.env._("Result"), self.env._("failed") if failures else self.env._("passed")),
            *((self.env._("Why it failed"), reason) for reason in failures),
            *((self.env._("Note"), note) for note in loader.notes),
        ]
        stamp = fields.Datetime.to_string(fields.Datetime.now()).replace(" ", "_").replace(":", "")
        self.write(
            {
                "state": "failed" if failures else "passed",
                "rows_source": sum(t.source_rows for t in tallies),
                "rows_loaded": sum(t.loaded for t in tallies),
                "rows_created": sum(t.created for t in tallies),
                "rows_updated": sum(t.updated for t in tallies),
                "rows_merged": sum(t.merged for t in tallies),
                "rows_flagged": sum(t.flagged for t in tallies),
                "rows_rejected": sum(t.rejected for t in tallies),
                "fields_compared": result.compared,
                "fields_equal": result.equal_count,
                "accuracy": float(result.accuracy),
                "money_differences": result.money_difference_count,
                "failure_reasons": "\n".join(failures) or False,
                "summary_html": self._wisdom_summary_html(tallies, result, loader.rows, render),
                "duration": getattr(loader, "duration", 0.0),
                "report_file": base64.b64encode(
                    report.report_xlsx(
                        summary, tallies, result, loader.labels, loader.merges, loader.review, labels=labels
                    )
                ),
                "report_filename": f"reconciliation_{stamp}.xlsx",
                "reject_file": base64.b64encode(
                    report.rejects_xlsx(loader.sheets, loader.rows, labels=labels, render=render)
                ),
                "reject_filename": f"rejected_{stamp}.xlsx",
            }
        )

    def _wisdom_failures(self, result):
        """Why the run fails (``tools.reconcile.Reconciliation.failure_problems``), in the environment's language."""
        render = renderer(self.env)
        return [render(problem.reason, problem.params) for problem in result.failure_problems()]

    def _wisdom_summary_html(self, tallies, result, rows_by_sheet=None, render=None):
        header = [
            self.env._("Sheet"),
            self.env._("Source Rows"),
            self.env._("Loaded"),
            self.env._("Created"),
            self.env._("Updated"),
            self.env._("Merged Duplicates"),
            self.env._("Rejected"),
        ]
        rows = [[t.sheet, t.source_rows, t.loaded, t.created, t.updated, t.merged, t.rejected] for t in tallies]
        field_header = [
            self.env._("Sheet"),
            self.env._("Field"),
            self.env._("Fields Compared"),
            self.env._("Fields Equal"),
            self.env._("Accuracy %"),
        ]
        field_rows = [[t.sheet, t.field, t.compared, t.equal, t.accuracy] for t in result.fields.values()]
        render = render or renderer(self.env)
        reasons, examples = Counter(), {}
        for sheet, sheet_rows in (rows_by_sheet or {}).items():
            for row in sheet_rows:
                for reason, params in row.errors.values():
                    reasons[sheet, reason] += 1
                    examples.setdefault((sheet, reason), (reason, params))
        reason_header = [self.env._("Sheet"), self.env._("Reason"), self.env._("Example"), self.env._("Rejected")]
        reason_rows = [
            [sheet, reason, render(*examples[sheet, reason]), count]
            for (sheet, reason), count in sorted(reasons.items())
        ]
        return (
            _html_table(header, rows)
            + _html_table(field_header, field_rows)
            + (_html_table(reason_header, reason_rows) if reason_rows else Markup(""))
        )

    @api.model
    def _wisdom_run_files(self, files, mapping_content, mapping_name, dry_run=False, name=None):
        """Run from the command line (data/migrate.py): the files are already read."""
        sheets = mapping.load(mapping_content, mapping_name)
        run = self.create(
            {
                "name": name or self.env._("Migration from the command line"),
                "dry_run": dry_run,
                "source_file": False,
                "mapping_file": base64.b64encode(
                    mapping_content if isinstance(mapping_content, bytes) else mapping_content.encode()
                ),
                "mapping_filename": mapping_name,
            }
        )
        loader = run._wisdom_load(sheets, files)
        run._wisdom_store_results(loader)
        return run, loader


def _html_table(header, rows):
    head = Markup("").join(Markup("<th>%s</th>") % cell for cell in header)
    body = Markup("").join(
        Markup("<tr>%s</tr>") % Markup("").join(Markup("<td>%s</td>") % escape(str(cell)) for cell in row)
        for row in rows
    )
    return Markup(
        '<table class="table table-sm o_wisdom_migration_summary"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>'
    ) % (head, body)
