import base64

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.migration_messages import renderer
from ..models.wisdom_migration_run import DEFAULT_MAPPING, _html_table
from ..tools import mapping, workbook

PREVIEW_ROWS = 5


class WisdomMigrationWizard(models.TransientModel):
    """Upload the workbooks and the mapping, look at the first rows as they will load, start the run."""

    _name = "wisdom.migration.wizard"
    _description = "Data Migration Upload"

    source_file = fields.Binary(
        string="Source Workbooks", required=True, help="A .zip of the workbooks, or one .xls or .xlsx workbook."
    )
    source_filename = fields.Char(string="Source File Name")
    mapping_file = fields.Binary(
        string="Mapping File", help="YAML or JSON; empty: the mapping shipped with the module."
    )
    mapping_filename = fields.Char(string="Mapping File Name")
    dry_run = fields.Boolean(string="Dry Run", help="Load, reconcile and report, then roll everything back.")
    preview_html = fields.Html(string="Preview", readonly=True, sanitize=False)

    def action_preview(self):
        """Show the first rows of each sheet as the mapping cleans them, with the cells it refuses."""
        self.ensure_one()
        self.env["wisdom.migration.run"]._wisdom_check_allowed()
        sheets, files = self._wisdom_inputs()
        render = renderer(self.env)
        parts = []
        for sheet in sheets:
            names = sorted(name for name in files if sheet.matches_file(name))
            if not names:
                parts.append(
                    Markup("<h5>%s</h5><p>%s</p>") % (sheet.name, self.env._("No workbook matches %s.", sheet.file))
                )
                continue
            try:
                cells = workbook.read_rows(files[names[0]], names[0], sheet.sheet)
                header, positions = sheet.find_header(cells)
            except (mapping.MappingError, workbook.WorkbookError) as error:
                raise UserError(self.env._("The upload cannot be used: %s", str(error))) from error
            rows = []
            for number, row in enumerate(cells[header + 1 :], start=header + 2):
                mapped = sheet.map_row(number, row, positions)
                if mapped:
                    rows.append(
                        [
                            number,
                            *(mapped.values.get(c.to) for c in sheet.columns),
                            "; ".join(
                                f"{col}: {render(reason, params)}" for col, (reason, params) in mapped.errors.items()
                            ),
                        ]
                    )
                if len(rows) == PREVIEW_ROWS:
                    break
            header_labels = [self.env._("Row"), *(f"{c.title} → {c.to}" for c in sheet.columns), self.env._("Problems")]
            parts.append(Markup("<h5>%s (%s)</h5>") % (sheet.name, names[0]) + _html_table(header_labels, rows))
        self.preview_html = Markup("").join(parts)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_start(self):
        self.ensure_one()
        run = self.env["wisdom.migration.run"].create(
            {
                "source_file": self.source_file,
                "source_filename": self.source_filename,
                "mapping_file": self.mapping_file,
                "mapping_filename": self.mapping_filename,
                "dry_run": self.dry_run,
            }
        )
        run.action_start()
        return {
            "type": "ir.actions.act_window",
            "res_model": run._name,
            "res_id": run.id,
            "view_mode": "form",
            "target": "current",
        }

    def _wisdom_inputs(self):
        try:
            if self.mapping_file:
                sheets = mapping.load(base64.b64decode(self.mapping_file), self.mapping_filename or "mapping.yaml")
            else:
                sheets = mapping.load(DEFAULT_MAPPING.read_bytes(), DEFAULT_MAPPING.name)
            files = workbook.source_files(base64.b64decode(self.source_file or b""), self.source_filename or "")
        except (mapping.MappingError, workbook.WorkbookError) as error:
            raise UserError(self.env._("The upload cannot be used: %s", str(error))) from error
        return sheets, files
