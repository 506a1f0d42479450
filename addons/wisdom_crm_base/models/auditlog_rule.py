from contextlib import contextmanager

from odoo import api, fields, models, tools
from odoo.fields import Command
from odoo.tools import SQL

from odoo.addons.auditlog.models.auditlog_rule import DictDiffer

EMPTY_DICT = {}
# What OCA's log lines take from a field's ir.model.fields row (see _prepare_log_line_vals_on_*)
AUDITLOG_FIELD_KEYS = ["name", "model", "model_id", "field_description", "ttype", "relation"]


class AuditlogRule(models.Model):
    _name = "auditlog.rule"
    _inherit = ["auditlog.rule", "wisdom.registry.cache.mixin"]

    _wisdom_cache_fields = frozenset({"model_id", "fields_to_exclude_ids", "capture_record", "state"})

    @api.model
    @tools.ormcache("model_id")
    def _wisdom_rule_settings(self, model_id):
        """(fields not logged, whether a deletion keeps the record's values) of the model's rules,
        cached: every logged create and write asks (two queries each in OCA)."""
        rules = self.sudo().search([("model_id", "=", model_id)])
        return tuple(rules.fields_to_exclude_ids.mapped("name")), any(rules.mapped("capture_record"))

    def _get_field(self, model_id, field_name):
        """OCA looks the logged fields up one by one (three queries per field the first time it is
        logged: 30 fields of a new customer cost 90 queries); here the first look-up reads every
        field of the model at once into OCA's cache, with the same values."""
        cache = self.pool._auditlog_field_cache
        model = self.env["ir.model"].sudo().browse(model_id)
        if field_name not in cache.get(model.model, {}):
            fields = (
                self.env["ir.model.fields"]
                .sudo()
                .search([("model_id", "in", [model.id, *model.inherited_model_ids.ids])])
            )
            model_cache = cache.setdefault(model.model, {})
            for field_data in fields.read(AUDITLOG_FIELD_KEYS, load="_classic_write"):
                model_cache.setdefault(field_data["name"], field_data)
            # a dummy field (e.g. in_group_X on res.users) has no ir.model.fields row: not logged
            model_cache.setdefault(field_name, False)
        return cache[model.model][field_name]

    def create_logs(
        self, uid, res_model, res_ids, method, old_values=None, new_values=None, additional_log_values=None
    ):
        """OCA's operation log, with the logs of a batch created in one ``create``, the records'
        names read at once and the rule's settings cached (OCA searches the rule and creates and
        reads the logs record by record: a pool move of 500 customers spent 4 s there, converting
        50 leads into customers 200 queries; with the read log on, every list of 80 customers
        created 80 logs one by one). The logs are the same."""
        if method == "export_data":
            return super().create_logs(uid, res_model, res_ids, method, old_values, new_values, additional_log_values)
        if not res_ids:
            # a write on no record (Odoo's account code does it often): OCA would search the rule
            # and register the HTTP request for nothing (2,698 calls in a 1,500-row migration)
            return None
        old_values = old_values or EMPTY_DICT
        new_values = new_values or EMPTY_DICT
        model_id = self.pool._auditlog_model_cache[res_model]
        fields_to_exclude, capture_record = self._wisdom_rule_settings(model_id)
        fields_to_exclude = list(fields_to_exclude)
        vals = {
            "model_id": model_id,
            "method": method,
            "user_id": uid,
            "http_request_id": self.env["auditlog.http.request"].current_http_request(),
            "http_session_id": self.env["auditlog.http.session"].current_http_session(),
            **(additional_log_values or {}),
        }
        records = self.env[res_model].browse(res_ids)
        records.fetch(["display_name"])
        vals_list = []
        for record in records:
            log_vals = {**vals, "res_id": record.id}
            diff = DictDiffer(new_values.get(record.id, EMPTY_DICT), old_values.get(record.id, EMPTY_DICT))
            if method == "create":
                log_vals["line_ids"] = self._create_log_line_on_create(
                    log_vals, diff.added(), new_values, fields_to_exclude
                )
            elif method == "read":
                log_vals["line_ids"] = self._create_log_line_on_read(
                    log_vals, list(old_values.get(record.id, EMPTY_DICT)), old_values, fields_to_exclude
                )
            elif method == "write":
                log_vals["line_ids"] = self._create_log_line_on_write(
                    log_vals, diff.changed(), old_values, new_values, fields_to_exclude
                )
            elif method == "unlink" and capture_record:
                log_vals["line_ids"] = self._create_log_line_on_read(
                    log_vals, list(old_values.get(record.id, EMPTY_DICT)), old_values, fields_to_exclude
                )
            if method == "unlink" or log_vals.get("line_ids", {}):
                vals_list.append(dict(log_vals, name=record.display_name))
        # each log line copies its field's name and label: read them for all lines at once
        field_ids = {
            command[2]["field_id"]
            for log_vals in vals_list
            for command in log_vals.get("line_ids") or ()
            if isinstance(command, (list, tuple)) and len(command) == 3 and isinstance(command[2], dict)
        }
        self.env["ir.model.fields"].sudo().browse(field_ids).fetch(["name", "field_description"])
        self._wisdom_insert_logs(vals_list)

    @api.model
    @contextmanager
    def _wisdom_logs_together(self):
        """Within the block, the operation logs are kept and inserted together when it ends: two
        statements for the block instead of two per logged call. For bulk jobs that write record by
        record: Odoo writes a new contact once per company (commercial fields), each write logged,
        so 3,105 migrated contacts cost 21,735 logs inserted one by one (half the contacts' time).

        Use it inside the job's savepoint: when the block raises, its logs are dropped with the
        records the savepoint rolls back. Nested blocks insert with the outermost one."""
        cr = self.env.cr
        if getattr(cr, "_wisdom_auditlog_buffer", None) is not None:
            yield
            return
        cr._wisdom_auditlog_buffer = buffer = []
        try:
            yield
        finally:
            cr._wisdom_auditlog_buffer = None
        self._wisdom_insert_logs(buffer)

    @api.model
    def _wisdom_insert_logs(self, vals_list):
        """Insert the logs and their lines with two statements, values exactly as OCA's ``create``
        stores them (model and field names copied, each value converted by its field). The ORM
        creates them one by one: a pool move or reclaim of 1,000 customers spent 1.3 of its 2.4 s
        creating 1,000 logs and 7,000 lines. Inside ``_wisdom_logs_together`` they wait for the end
        of the block (nothing is returned then)."""
        buffer = getattr(self.env.cr, "_wisdom_auditlog_buffer", None)
        if buffer is not None:
            buffer.extend(vals_list)
            return self.env["auditlog.log"].browse()
        if not vals_list:
            return self.env["auditlog.log"].browse()
        Log, Line = self.env["auditlog.log"].sudo(), self.env["auditlog.log.line"].sudo()
        models_ = self.env["ir.model"].sudo().browse({vals["model_id"] for vals in vals_list})
        model_names = {model.id: (model.name, model.model) for model in models_}
        lines = []
        for vals in vals_list:
            name, model = model_names[vals["model_id"]]
            vals.update(model_name=name, model_model=model)
            lines.append([command[2] for command in vals.pop("line_ids", None) or () if command[0] == Command.CREATE])
        log_ids = self._wisdom_insert_rows(Log, vals_list)
        fields_ = {
            field.id: field
            for field in self.env["ir.model.fields"]
            .sudo()
            .browse({line["field_id"] for log_lines in lines for line in log_lines})
        }
        self._wisdom_insert_rows(
            Line,
            [
                dict(
                    line,
                    log_id=log_id,
                    field_name=fields_[line["field_id"]].name,
                    field_description=fields_[line["field_id"]].field_description,
                )
                for log_id, log_lines in zip(log_ids, lines, strict=True)
                for line in log_lines
            ],
        )
        Log.invalidate_model()
        Line.invalidate_model()
        return Log.browse(log_ids)

    @api.model
    def _wisdom_insert_rows(self, model, vals_list):
        """INSERT rows of a model without computed fields or side effects, one array per column
        (``unnest``); return their ids in the order of ``vals_list``."""
        if not vals_list:
            return []
        columns = sorted({fname for vals in vals_list for fname in vals})
        fields_ = [model._fields[fname] for fname in columns]
        arrays = [
            [field.convert_to_column_insert(vals.get(field.name), model) for vals in vals_list] for field in fields_
        ]
        now = fields.Datetime.now()
        rows = self.env.execute_query(
            SQL(
                """INSERT INTO %(table)s (%(columns)s, create_uid, create_date, write_uid, write_date)
                   SELECT %(columns)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                     FROM unnest(%(arrays)s) WITH ORDINALITY AS v(%(columns)s, row_number)
                 ORDER BY row_number
                RETURNING id""",
                table=SQL.identifier(model._table),
                columns=SQL(", ").join(SQL.identifier(field.name) for field in fields_),
                arrays=SQL(", ").join(
                    SQL("%s::%s[]", array, SQL(field.column_type[0]))
                    for field, array in zip(fields_, arrays, strict=True)
                ),
                uid=self.env.uid,
                now=now,
            )
        )
        # one sequence, one statement: the ids grow in the order the rows were inserted
        return sorted(row[0] for row in rows)
