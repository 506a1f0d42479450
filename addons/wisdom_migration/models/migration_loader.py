"""The loader behind a migration run: workbooks → cleaned rows → records, then the reconciliation.

Plain Python over the ORM (the run model, the CLI and the benchmark drive it). Sheets load in the
mapping's order; rows in batches, each batch in a savepoint (a batch that fails is replayed row by
row so that one bad row rejects only itself); every source row gets the external id
``migration.<sheet>_<key>`` so that a re-run finds and updates its record instead of creating
another one. How each kind of sheet becomes records is in ``migration_sheets.py`` (invoices:
``migration_invoices.py``); what keeps a long run fast
(statistics refreshed, operation logs per batch) in ``migration_upkeep.py``.

The loader writes as superuser: it is started only by administrators and contract admins (checked
on ``wisdom.migration.run``), and history must load whatever record rules say about today's owners.
"""

import logging
from collections import defaultdict
from decimal import Decimal

from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import mapping, reconcile, workbook
from .migration_invoices import InvoiceLoaders
from .migration_sheets import SheetLoaders
from .migration_upkeep import RunUpkeep
from .migration_values import RowError, changed_values, orm_value, xmlid_name

_logger = logging.getLogger(__name__)

XMLID_MODULE = "migration"
BATCH_SIZE = 200
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
    # sale posts "Extra line with <product>" on the contract for every line created in a confirmed
    # contract: a message per historical line (297 contracts of a 3,000-row set: 601 messages, 8 %)
    "sale_no_log_for_new_lines": True,
    "wisdom_migration": True,
}


class Loader(SheetLoaders, InvoiceLoaders, RunUpkeep):
    def __init__(self, env, sheets, files, batch_size=BATCH_SIZE, progress=None, company=None):
        """``company``: where contracts, collections and invoices go (default: the user's current one)."""
        company = company or env.company
        self.env = env(su=True, context=dict(env.context, allowed_company_ids=[company.id], **QUIET))
        self.sheets = sheets
        self.files = files  # {file name: bytes}
        self.batch_size = batch_size
        self.progress = progress or (lambda fraction, message: None)
        self.rows = {}  # sheet name → [MappedRow]
        self.tally = {}  # sheet name → SheetTally
        self.records = defaultdict(dict)  # sheet name → {row key: record id}
        self.resolved = defaultdict(dict)  # (sheet, key) → {target: id}
        self.review = []  # (sheet, key, name, [(id, name, score, reasons)])
        self.merges = []  # (sheet, key, customer id, how)
        self.notes = []
        self.reconciliation = None
        self.labels = {}
        self.company = self.env.company

    # ENTRY POINT

    def run(self):
        self.read_sources()
        self.prevalidate()
        loaders = {
            "customers": self._load_customers,
            "contacts": self._load_contacts,
            "contracts": self._load_contracts,
            "contract_lines": self._note_lines,
            "collection_plans": self._load_plans,
            "collections": self._load_collections,
            "invoices": self._load_invoices,
        }
        for index, sheet in enumerate(self.sheets):
            self.progress(0.1 + 0.75 * index / len(self.sheets), self.env._("Loading %s", sheet.name))
            if sheet.name in self.rows:
                loaders[sheet.kind](sheet)
        self.env.flush_all()
        self.progress(0.9, self.env._("Reconciling"))
        self.reconciliation = self.reconcile()
        self.labels = self.money_labels(self.reconciliation)
        self.progress(1.0, self.env._("Done"))
        return self

    # READING AND VALIDATION

    def read_sources(self):
        for sheet in self.sheets:
            names = sorted(name for name in self.files if sheet.matches_file(name))
            if not names:
                self.notes.append(
                    self.env._("No workbook matches %(file)s for sheet %(sheet)s.", file=sheet.file, sheet=sheet.name)
                )
                continue
            tally = self.tally[sheet.name] = reconcile.SheetTally(sheet.name)
            rows = self.rows[sheet.name] = []
            for name in names:
                cells = workbook.read_rows(self.files[name], name, sheet.sheet)
                header, positions = sheet.find_header(cells)
                for number, row in enumerate(cells[header + 1 :], start=header + 2):
                    mapped = sheet.map_row(number, row, positions)
                    if mapped is None:
                        tally.blank_rows += 1
                        continue
                    mapped.file = name
                    rows.append(mapped)
            tally.source_rows = len(rows)

    def prevalidate(self):
        """Checks that need no loaded record: duplicate keys, products and reps that exist, line and
        contract totals, collections within their contract's plan."""
        products = self._products()
        users = self._users()
        by_kind = {sheet.kind: sheet for sheet in self.sheets if sheet.name in self.rows}
        for sheet in by_kind.values():
            rows = self.rows[sheet.name]
            if sheet.kind != "customers":
                mapping.reject_duplicate_keys(rows, sheet)
            for column in sheet.columns:
                table = {"product": products, "user": users}.get(column.lookup)
                if table is None:
                    continue
                for row in rows:
                    value = row.values.get(column.to)
                    if value in (None, ""):
                        continue
                    found = table.get(str(value).upper() if column.lookup == "product" else str(value))
                    if found:
                        self.resolved[sheet.name, row.key][column.to] = found
                    else:
                        row.reject(
                            column.title,
                            "product_unknown" if column.lookup == "product" else "user_unknown",
                            {"value": value},
                        )
        lines_sheet, contracts_sheet = by_kind.get("contract_lines"), by_kind.get("contracts")
        if lines_sheet:
            mapping.check_line_amounts(lines_sheet, self.rows[lines_sheet.name])
        if lines_sheet and contracts_sheet:
            mapping.check_contract_totals(
                contracts_sheet, self.rows[contracts_sheet.name], lines_sheet, self.rows[lines_sheet.name]
            )
        if (plans := by_kind.get("collection_plans")) and (collections := by_kind.get("collections")):
            self._check_collections_within_plan(plans, collections)

    def _check_collections_within_plan(self, plans, collections):
        planned = defaultdict(Decimal)
        for row in self.rows[plans.name]:
            if row.ok:
                planned[row.values["order_id"]] += row.values["amount"]
        collected = defaultdict(Decimal)
        title = collections.column_for("amount").title
        for row in self.rows[collections.name]:
            if not row.ok:
                continue
            contract = row.values.get("contract")
            collected[contract] += row.values["amount"]
            if collected[contract] > planned.get(contract, Decimal(0)):
                collected[contract] -= row.values["amount"]
                row.reject(title, "over_collected", {"contract": contract})

    def _products(self):
        rows = self.env.execute_query(
            SQL("SELECT upper(default_code), id FROM product_product WHERE active AND default_code IS NOT NULL")
        )
        return dict(rows)

    def _users(self):
        users = {}
        for user in self.env["res.users"].search([("share", "=", False)]):
            users.setdefault(user.name, user.id)
            users[user.login] = user.id
        return users

    # EXTERNAL IDS

    def _bound(self, sheet, keys, merged=None):
        """{row key: record id} of the rows already loaded by an earlier run; ``merged`` True/False
        keeps only the rows merged onto another record / loaded into their own."""
        names = {xmlid_name(sheet.name, key): key for key in keys}
        if not names:
            return {}
        rows = self.env.execute_query(
            SQL(
                "SELECT name, res_id, noupdate FROM ir_model_data WHERE module = %s AND model = %s AND name = ANY(%s)",
                XMLID_MODULE,
                sheet.model,
                list(names),
            )
        )
        return {names[name]: res_id for name, res_id, noupdate in rows if merged is None or bool(noupdate) == merged}

    def _bind(self, sheet, pairs, merged=False):
        """External ids of loaded rows; those of rows merged onto another record are marked
        ``noupdate``: a re-run never writes such a row's values over the record it was merged onto."""
        if pairs:
            self.env["ir.model.data"].create(
                [
                    {
                        "module": XMLID_MODULE,
                        "name": xmlid_name(sheet.name, key),
                        "model": sheet.model,
                        "res_id": res_id,
                        "noupdate": merged,
                    }
                    for key, res_id in pairs
                ]
            )

    # GENERIC SYNC: create new rows, update changed ones, batch by batch

    def _field_vals(self, sheet, row):
        model = self.env[sheet.model]
        vals = dict(sheet.defaults)
        resolved = self.resolved[sheet.name, row.key]
        for column in sheet.columns:
            if column.check or column.to not in model._fields:
                continue
            value = resolved.get(column.to, False) if column.lookup else row.values.get(column.to)
            vals[column.to] = orm_value(value)
        return vals

    def _sync(self, sheet, rows, build_vals, create, update=None):
        """Create or update the records of ``rows``; ``build_vals(row)`` may raise RowError."""
        tally = self.tally[sheet.name]
        existing = self._bound(sheet, [row.key for row in rows])
        for number, start in enumerate(range(0, len(rows), self.batch_size), start=1):
            batch = rows[start : start + self.batch_size]
            if number & (number - 1) == 0:  # batches 1, 2, 4, 8…: the statistics within 2 × of the rows
                self._analyze(sheet)
            try:
                with self.env.cr.savepoint(), self._logs_together():
                    self._sync_batch(sheet, batch, existing, build_vals, create, update)
            except Exception:  # noqa: BLE001 - replayed row by row: the bad row is rejected with its error
                _logger.info("migration: batch of %s failed, replaying row by row", sheet.name, exc_info=True)
                self.env.invalidate_all()
                for row in batch:
                    try:
                        with self.env.cr.savepoint(), self._logs_together():
                            self._sync_batch(sheet, [row], existing, build_vals, create, update)
                    except Exception as error:  # noqa: BLE001 - any error of one row rejects that row
                        self.env.invalidate_all()
                        self._reject_loaded(sheet, row, error)
        self._analyze(sheet)
        for row in rows:
            if row.ok and row.key in self.records[sheet.name]:
                tally.loaded += 1
        tally.rejected = sum(1 for row in self.rows[sheet.name] if not row.ok)

    def _sync_batch(self, sheet, batch, existing, build_vals, create, update):
        model = self.env[sheet.model]
        new_rows, new_vals = [], []
        for row in batch:
            if not row.ok:
                continue
            try:
                vals = build_vals(row)
            except RowError as error:
                row.reject(error.column, error.reason, error.params)
                continue
            if row.key in existing:
                record = model.browse(existing[row.key])
                if (update or self._update)(sheet, record, vals):
                    self.tally[sheet.name].updated += 1
                self.records[sheet.name][row.key] = record.id
            else:
                new_rows.append(row)
                new_vals.append(vals)
        if new_vals:
            records = create(new_rows, new_vals)
            self._bind(sheet, [(row.key, record.id) for row, record in zip(new_rows, records, strict=True)])
            for row, record in zip(new_rows, records, strict=True):
                self.records[sheet.name][row.key] = record.id
            self.tally[sheet.name].created += len(records)
        self.env.flush_all()

    def _update(self, sheet, record, vals):
        changed = changed_values(record, vals)
        if changed:
            record.write(changed)
        return bool(changed)

    def _reject_loaded(self, sheet, row, error):
        message = error.args[0] if isinstance(error, UserError) and error.args else f"{type(error).__name__}: {error}"
        row.reject(sheet.column_for(sheet.key[0]).title, "load_error", {"error": message})
        self.records[sheet.name].pop(row.key, None)

    # RECONCILIATION (MIG-02)

    def reconcile(self):
        result = reconcile.Reconciliation()
        for sheet in self.sheets:
            if sheet.name not in self.rows:
                continue
            model = self.env[sheet.model]
            ids = self.records[sheet.name]
            rows = [
                row
                for row in self.rows[sheet.name]
                if row.ok
                and row.key in ids
                and not getattr(row, "merged_into", None)
                and not getattr(row, "merged_into_id", None)
            ]
            records = model.browse([ids[row.key] for row in rows])
            records.invalidate_recordset()
            for row, record in zip(rows, records, strict=True):
                self._compare_row(result, sheet, row, record)
        return result

    def money_labels(self, result):
        """{(level, id): customer name or contract number} for the report (read before a dry run
        rolls the records back)."""
        ids = {"customer": set(), "contract": set()}
        for level, group, *__ in result.money_rows():
            if group:
                ids[level].add(group)
        labels = {("customer", p.id): p.display_name for p in self.env["res.partner"].browse(ids["customer"])}
        orders = self.env["sale.order"].browse(ids["contract"])
        labels.update({("contract", order.id): order.contract_no or order.name for order in orders})
        return labels

    def _compare_row(self, result, sheet, row, record):
        resolved = self.resolved[sheet.name, row.key]
        for column in sheet.columns:
            if column.to not in record._fields:
                continue
            field = record._fields[column.to]
            stored = record[column.to]
            if field.type == "many2one":
                source, stored, kind = resolved.get(column.to), stored.id, "many2one"
            else:
                source = row.values.get(column.to)
                kind = {
                    "monetary": "money",
                    "float": "number",
                    "integer": "number",
                    "date": "date",
                    "boolean": "boolean",
                }.get(field.type, "char")
                if column.money:
                    kind = "money"
            result.compare(sheet.name, row.key, column.to, source, stored, kind)
        for column in sheet.columns:
            if column.money:
                self._add_money(result, sheet, row, record, column)

    def _add_money(self, result, sheet, row, record, column):
        source = row.values.get(column.to)
        resolved = self.resolved[sheet.name, row.key]
        if sheet.kind == "contracts":
            groups = [
                ("customer", resolved.get("partner_id"), record.partner_id.commercial_partner_id.id),
                ("contract", record.id, record.id),
            ]
        elif sheet.kind in ("contract_lines", "collection_plans"):
            order = self.env["sale.order"].browse(resolved.get("order_id") or self._contract(row.values["order_id"]))
            groups = [
                (
                    "customer",
                    order.partner_id.commercial_partner_id.id,
                    record.order_id.partner_id.commercial_partner_id.id,
                ),
                ("contract", order.id, record.order_id.id),
            ]
        elif sheet.kind == "collections":
            contract = resolved.get("contract")
            allocated = sum(
                record.wisdom_allocation_ids.filtered(
                    lambda a, c=contract: a.state == "posted" and a.order_id.id == c
                ).mapped("amount")
            )
            result.add_money("customer", resolved.get("partner_id"), sheet.name, source, 0)
            result.add_money("customer", record.partner_id.commercial_partner_id.id, sheet.name, 0, record.amount)
            result.add_money("contract", contract, sheet.name, source, allocated)
            return
        else:
            groups = [("customer", resolved.get("partner_id"), record.partner_id.commercial_partner_id.id)]
            if sheet.kind == "invoices" and (contract := resolved.get("contract")):
                # what the invoice invoices on the contract it names, through its links to the contract's lines
                invoiced = sum(
                    record.invoice_line_ids.filtered(
                        lambda line, c=contract: c in line.sale_line_ids.order_id.ids
                    ).mapped("price_total")
                )
                result.add_money("contract", contract, sheet.name, source, invoiced)
        stored = record[column.to]
        for level, source_group, stored_group in groups:
            result.add_money(level, source_group, sheet.name, source, 0)
            result.add_money(level, stored_group, sheet.name, 0, stored)
