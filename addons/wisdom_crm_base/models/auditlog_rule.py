from odoo import api, models, tools

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
        if method == "export_data" or not res_ids:
            return super().create_logs(uid, res_model, res_ids, method, old_values, new_values, additional_log_values)
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
        self.env["auditlog.log"].create(vals_list)
