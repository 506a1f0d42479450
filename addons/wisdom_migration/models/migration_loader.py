"""The loader behind a migration run: workbooks → cleaned rows → records, then the reconciliation.

Plain Python over the ORM (the run model, the CLI and the benchmark drive it). Sheets load in the
mapping's order; rows in batches, each batch in a savepoint (a batch that fails is replayed row by
row so that one bad row rejects only itself); every source row gets the external id
``migration.<sheet>_<key>`` so that a re-run finds and updates its record instead of creating
another one.

The loader writes as superuser: it is started only by administrators and contract admins (checked
on ``wisdom.migration.run``), and history must load whatever record rules say about today's owners.
"""

import logging
import re
from collections import defaultdict
from decimal import Decimal

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL

from odoo.addons.wisdom_crm_base.tools import credit_code as credit_code_tools
from odoo.addons.wisdom_crm_base.tools import dedup
from odoo.addons.wisdom_fulfillment.models.wisdom_collection_allocation import POSTING_KEY

from ..tools import mapping, reconcile, workbook

_logger = logging.getLogger(__name__)

XMLID_MODULE = "migration"
BATCH_SIZE = 200
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
    "wisdom_migration": True,
}


def xmlid_name(sheet, key):
    return f"{sheet}_{re.sub(r'[^0-9A-Za-z_-]', '_', str(key))}"


class RowError(Exception):
    """A row that cannot be loaded: ``column`` (header title) and reason key, English message."""

    def __init__(self, column, reason, message):
        super().__init__(message)
        self.column = column
        self.reason = reason


class Loader:
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
            self.progress(0.1 + 0.75 * index / len(self.sheets), f"loading {sheet.name}")
            if sheet.name in self.rows:
                loaders[sheet.kind](sheet)
        self.env.flush_all()
        self.progress(0.9, "reconciling")
        self.reconciliation = self.reconcile()
        self.labels = self.money_labels(self.reconciliation)
        self.progress(1.0, "done")
        return self

    # READING AND VALIDATION

    def read_sources(self):
        for sheet in self.sheets:
            names = sorted(name for name in self.files if sheet.matches_file(name))
            if not names:
                self.notes.append(f"no workbook matches {sheet.file} for sheet {sheet.name}")
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
                            column.title, f"{column.lookup}_unknown", f"no {column.lookup} '{value}' in the database"
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
                row.reject(
                    title, "over_collected", f"collections of contract {contract} would exceed its collection plan"
                )

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
            vals[column.to] = _orm_value(value)
        return vals

    def _sync(self, sheet, rows, build_vals, create, update=None):
        """Create or update the records of ``rows``; ``build_vals(row)`` may raise RowError."""
        tally = self.tally[sheet.name]
        existing = self._bound(sheet, [row.key for row in rows])
        for start in range(0, len(rows), self.batch_size):
            batch = rows[start : start + self.batch_size]
            try:
                with self.env.cr.savepoint():
                    self._sync_batch(sheet, batch, existing, build_vals, create, update)
            except Exception:  # noqa: BLE001 - replayed row by row: the bad row is rejected with its error
                _logger.info("migration: batch of %s failed, replaying row by row", sheet.name, exc_info=True)
                self.env.invalidate_all()
                for row in batch:
                    try:
                        with self.env.cr.savepoint():
                            self._sync_batch(sheet, [row], existing, build_vals, create, update)
                    except Exception as error:  # noqa: BLE001 - any error of one row rejects that row
                        self.env.invalidate_all()
                        self._reject_loaded(sheet, row, error)
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
                row.reject(error.column, error.reason, str(error))
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
        changed = _changed(record, vals)
        if changed:
            record.write(changed)
        return bool(changed)

    def _reject_loaded(self, sheet, row, error):
        message = error.args[0] if isinstance(error, UserError) and error.args else f"{type(error).__name__}: {error}"
        row.reject(sheet.column_for(sheet.key[0]).title, "load_error", str(message))
        self.records[sheet.name].pop(row.key, None)

    # CUSTOMERS (客户查重: exact duplicates merged, similar ones flagged)

    def _load_customers(self, sheet):
        rows = [row for row in self.rows[sheet.name] if row.ok]
        merged_before = self._bound(sheet, [row.key for row in rows], merged=True)
        bound = self._bound(sheet, [row.key for row in rows], merged=False)
        masters, by_code, by_name = [], {}, {}
        for row in rows:
            if row.key in merged_before:
                row.merged_into_id = merged_before[row.key]
                continue
            code, key = row.values.get("credit_code"), dedup.normalize_name(row.values.get("name"))
            master = (by_code.get(code) if code else None) or by_name.get(key)
            if master is not None and row.key not in bound:
                row.merged_into = master
                self.merges.append((sheet.name, row.key, master.key, "source"))
                continue
            masters.append(row)
            if code:
                by_code.setdefault(code, row)
            by_name.setdefault(key, row)
        fresh = [row for row in masters if row.key not in bound]
        existing = self._existing_customers(fresh)
        for row in fresh:
            if found := existing.get(row.key):
                self._bind(sheet, [(row.key, found)], merged=True)
                row.merged_into_id = found
                self.merges.append((sheet.name, row.key, found, "database"))
        self._sync(
            sheet,
            [row for row in masters if not getattr(row, "merged_into_id", None)],
            lambda row: self._field_vals(sheet, row),
            self._create_customers,
        )
        ids = self.records[sheet.name]
        for row in rows:
            if getattr(row, "merged_into_id", None):
                ids[row.key] = row.merged_into_id
        merged = []
        for row in rows:
            master = getattr(row, "merged_into", None)
            if master is not None and master.key in ids:
                ids[row.key] = ids[master.key]
                merged.append((row.key, ids[row.key]))
        self._bind(sheet, merged, merged=True)
        tally = self.tally[sheet.name]
        tally.merged = sum(
            1 for row in rows if getattr(row, "merged_into", None) or getattr(row, "merged_into_id", None)
        )
        tally.loaded = sum(1 for row in rows if row.ok and row.key in ids)
        tally.flagged = len(self.review)
        self._index_customers(sheet)

    def _existing_customers(self, rows):
        """{row key: id} of customers already in the database with the same credit code or name key."""
        codes = [row.values["credit_code"] for row in rows if row.values.get("credit_code")]
        keys = {row.key: dedup.normalize_name(row.values.get("name")) for row in rows}
        self.env["res.partner"].flush_model(["wisdom_name_key", "credit_code"])
        found = self.env.execute_query(
            SQL(
                """SELECT id, credit_code, CASE WHEN wisdom_customer THEN wisdom_name_key END FROM res_partner
                WHERE active AND parent_id IS NULL AND (credit_code = ANY(%s)
                      OR (wisdom_customer AND wisdom_name_key = ANY(%s)))
                ORDER BY id""",
                codes,
                [key for key in keys.values() if key],
            )
        )
        by_code = {code: id_ for id_, code, __ in found if code}
        by_key = {}
        for id_, __, key in found:
            if key:
                by_key.setdefault(key, id_)
        return {
            row.key: by_code.get(row.values.get("credit_code")) or by_key.get(keys[row.key])
            for row in rows
            if by_code.get(row.values.get("credit_code")) or by_key.get(keys[row.key])
        }

    def _create_customers(self, rows, vals_list):
        Partner = self.env["res.partner"]
        for row, vals in zip(rows, vals_list, strict=True):
            similar = [match for match in Partner.wisdom_check_duplicates(vals) if not match["blocking"]]
            if similar:
                self.review.append(
                    (row.key, vals["name"], [(m["id"], m["name"], m["score"], m["reasons"]) for m in similar[:3]])
                )
        return Partner.create(vals_list)

    def _index_customers(self, sheet):
        """Source customer no., credit code and name key → customer, for the sheets that refer to them."""
        self.customer_refs = {}
        for row in self.rows[sheet.name]:
            record_id = self.records[sheet.name].get(row.key)
            if not record_id:
                continue
            self.customer_refs.setdefault(row.key, record_id)
            if row.values.get("credit_code"):
                self.customer_refs.setdefault(row.values["credit_code"], record_id)
            if key := dedup.normalize_name(row.values.get("name")):
                self.customer_refs.setdefault(key, record_id)

    def _customer(self, value):
        refs = getattr(self, "customer_refs", {})
        text = str(value)
        code = credit_code_tools.normalize(text)
        found = refs.get(text.upper()) or refs.get(code) or refs.get(dedup.normalize_name(text))
        if found:
            return found
        sheet = next((s for s in self.sheets if s.kind == "customers"), None)
        if sheet and (bound := self._bound(sheet, [text.upper()])):
            return bound[text.upper()]
        partner = self.env["res.partner"].search(
            [
                "|",
                ("credit_code", "=", code),
                "&",
                ("wisdom_customer", "=", True),
                ("wisdom_name_key", "=", dedup.normalize_name(text)),
                ("parent_id", "=", False),
            ],
            limit=1,
        )
        refs[text] = partner.id
        return partner.id

    def _resolve(self, sheet, row, target, lookup):
        """Resolve a customer or contract reference of a row or raise RowError."""
        value = row.values.get(target)
        if value in (None, ""):
            return False
        column = sheet.column_for(target)
        found = self._customer(value) if lookup == "customer" else self._contract(value)
        if not found:
            raise RowError(column.title, f"{lookup}_unknown", f"no {lookup} '{value}' loaded or in the database")
        self.resolved[sheet.name, row.key][target] = found
        return found

    def _resolve_all(self, sheet, row):
        for column in sheet.columns:
            if column.lookup in ("customer", "contract"):
                self._resolve(sheet, row, column.to, column.lookup)

    # CONTACTS

    def _load_contacts(self, sheet):
        def build(row):
            self._resolve_all(sheet, row)
            return self._field_vals(sheet, row)

        rows = [row for row in self.rows[sheet.name] if row.ok]
        self._sync(sheet, rows, build, lambda rows, vals: self.env["res.partner"].create(vals))

    # CONTRACTS WITH THEIR LINES

    def _note_lines(self, sheet):
        """Lines load with their contract (one create per order); here only their tally."""
        tally = self.tally[sheet.name]
        tally.loaded = sum(1 for row in self.rows[sheet.name] if row.ok and row.key in self.records[sheet.name])
        tally.rejected = sum(1 for row in self.rows[sheet.name] if not row.ok)

    def _contract(self, value):
        sheet = next((s for s in self.sheets if s.kind == "contracts"), None)
        text = str(value).upper()
        if sheet and (found := self.records[sheet.name].get(text)):
            return found
        if sheet and (bound := self._bound(sheet, [text])):
            return bound[text]
        return self.env["sale.order"].search([("contract_no", "=", text)], limit=1).id

    def _load_contracts(self, sheet):
        lines_sheet = next((s for s in self.sheets if s.kind == "contract_lines" and s.name in self.rows), None)
        lines = defaultdict(list)
        if lines_sheet:
            for row in self.rows[lines_sheet.name]:
                if row.ok:
                    lines[row.values["order_id"]].append(row)
        self.lines_sheet, self.contract_lines = lines_sheet, lines

        def build(row):
            self._resolve_all(sheet, row)
            vals = self._field_vals(sheet, row)
            vals.setdefault("date_order", vals.get("signed_date"))
            vals["company_id"] = self.company.id
            return vals

        rows = [row for row in self.rows[sheet.name] if row.ok]
        self._sync(sheet, rows, build, self._create_contracts, self._update_contract)
        for row in rows:
            if not row.ok:  # rejected while loading: its lines go with it
                for line in lines.get(row.key, []):
                    line.reject(
                        lines_sheet.column_for("order_id").title,
                        "contract_rejected",
                        f"contract {row.key} is not loaded",
                    )

    def _line_vals(self, row, order_id=None):
        if order_id:
            self.resolved[self.lines_sheet.name, row.key]["order_id"] = order_id
        vals = self._field_vals(self.lines_sheet, row)
        vals.pop("order_id", None)
        vals["tax_ids"] = [Command.clear()]
        return vals

    def _create_contracts(self, rows, vals_list):
        for row, vals in zip(rows, vals_list, strict=True):
            vals["state"] = "sale"
            vals["order_line"] = [
                Command.create(self._line_vals(line)) for line in self.contract_lines.get(row.key, [])
            ]
        orders = self.env["sale.order"].create(vals_list)
        if self.lines_sheet:
            pairs = []
            for row, order in zip(rows, orders, strict=True):
                lines = self.contract_lines.get(row.key, [])
                for line, record in zip(lines, order.order_line.sorted("id"), strict=True):
                    pairs.append((line.key, record.id))
                    self.resolved[self.lines_sheet.name, line.key]["order_id"] = order.id
                    self.records[self.lines_sheet.name][line.key] = record.id
            self._bind(self.lines_sheet, pairs)
            self.tally[self.lines_sheet.name].created += len(pairs)
        return orders

    def _update_contract(self, sheet, order, vals):
        changed = bool(self._update(sheet, order, {k: v for k, v in vals.items() if k not in ("date_order",)}))
        if not self.lines_sheet:
            return changed
        rows = self.contract_lines.get(order.contract_no, [])
        bound = self._bound(self.lines_sheet, [row.key for row in rows])
        commands = []
        for row in rows:
            vals_line = self._line_vals(row)
            vals_line.pop("tax_ids")
            self.resolved[self.lines_sheet.name, row.key]["order_id"] = order.id
            if row.key in bound:
                line = self.env["sale.order.line"].browse(bound[row.key])
                if diff := _changed(line, vals_line):
                    commands.append(Command.update(line.id, diff))
            else:
                commands.append(Command.create(dict(vals_line, tax_ids=[Command.clear()])))
        if commands:
            before = set(order.order_line.ids)
            order.write({"order_line": commands})
            new_lines = order.order_line.filtered(lambda line: line.id not in before)
            new_rows = [row for row in rows if row.key not in bound]
            self._bind(self.lines_sheet, [(row.key, line.id) for row, line in zip(new_rows, new_lines, strict=True)])
            self.tally[self.lines_sheet.name].created += len(new_rows)
            self.tally[self.lines_sheet.name].updated += len(commands) - len(new_rows)
        for row in rows:
            self.records[self.lines_sheet.name][row.key] = bound.get(row.key) or self._bound(
                self.lines_sheet, [row.key]
            ).get(row.key)
        return changed or bool(commands)

    # COLLECTION PLANS

    def _load_plans(self, sheet):
        orders = self.env["sale.order"]

        def build(row):
            self._resolve_all(sheet, row)
            vals = self._field_vals(sheet, row)
            vals["user_id"] = orders.browse(vals["order_id"]).user_id.id
            return vals

        rows = [row for row in self.rows[sheet.name] if row.ok]
        self._sync(sheet, rows, build, lambda rows, vals: self.env["wisdom.collection.plan.line"].create(vals))

    # COLLECTIONS (customer payments allocated to the contract's instalments)

    def _load_collections(self, sheet):
        def build(row):
            self._resolve_all(sheet, row)
            vals = self._field_vals(sheet, row)
            vals.update(payment_type="inbound", partner_type="customer")
            return vals

        rows = [row for row in self.rows[sheet.name] if row.ok]
        self._sync(sheet, rows, build, self._create_payments, self._update_payment)

    def _create_payments(self, rows, vals_list):
        payments = self.env["account.payment"].create(vals_list)
        payments.action_post()
        for row, payment in zip(rows, payments, strict=True):
            self._allocate(payment, self.resolved[row.sheet, row.key]["contract"])
        return payments

    def _update_payment(self, sheet, payment, vals):
        """A posted collection whose source changed: back to draft, new values, posted and allocated again."""
        changed = _changed(payment, vals)
        if not changed:
            return False
        contract = self.resolved[sheet.name, payment.memo].get("contract")
        payment.wisdom_allocation_ids.with_context(wisdom_allow_unpost=True).unlink()
        payment.action_draft()
        payment.write(changed)
        payment.action_post()
        if contract:
            self._allocate(payment, contract)
        return True

    def _allocate(self, payment, order_id):
        """Book the payment onto the contract's open instalments, earliest due first."""
        lines = self.env["wisdom.collection.plan.line"].search(
            [("order_id", "=", order_id)], order="due_date, sequence, id"
        )
        left = Decimal(str(payment.amount))
        vals = []
        for line in lines:
            residual = reconcile.to_money(line.residual)
            if left <= 0 or residual <= 0:
                continue
            amount = min(left, residual)
            vals.append(
                {
                    "payment_id": payment.id,
                    "plan_line_id": line.id,
                    "amount": float(amount),
                    "state": "posted",
                    "confirmed_by_id": self.env.uid,
                }
            )
            left -= amount
        if vals:
            self.env["wisdom.collection.allocation"].with_context(**{POSTING_KEY: True}).create(vals)
            lines.invalidate_recordset(["paid_amount", "residual"])

    # INVOICES

    def _load_invoices(self, sheet):
        def build(row):
            self._resolve_all(sheet, row)
            vals = self._field_vals(sheet, row)
            vals.update(
                move_type="out_invoice",
                company_id=self.company.id,
                invoice_line_ids=[
                    Command.create(
                        {
                            "name": f"{row.values['ref']} {row.values.get('invoice_origin') or ''}".strip(),
                            "quantity": 1,
                            "price_unit": float(row.values["amount_total"]),
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            )
            return vals

        rows = [row for row in self.rows[sheet.name] if row.ok]
        self._sync(sheet, rows, build, self._create_invoices, self._update_invoice)

    def _create_invoices(self, rows, vals_list):
        moves = self.env["account.move"].create(vals_list)
        moves.action_post()
        return moves

    def _update_invoice(self, sheet, move, vals):
        lines = vals.pop("invoice_line_ids")
        line_vals = lines[0][2]
        changed = _changed(move, vals)
        line = move.invoice_line_ids[:1]
        if reconcile.to_money(line.price_unit) != reconcile.to_money(line_vals["price_unit"]):
            changed["invoice_line_ids"] = [Command.update(line.id, {"price_unit": line_vals["price_unit"]})]
        if not changed:
            return False
        move.button_draft()
        move.write(changed)
        move.action_post()
        return True

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
        stored = record[column.to]
        for level, source_group, stored_group in groups:
            result.add_money(level, source_group, sheet.name, source, 0)
            result.add_money(level, stored_group, sheet.name, 0, stored)


def _orm_value(value):
    if isinstance(value, Decimal):
        return float(value)
    return False if value is None else value


def _changed(record, vals):
    """The values of ``vals`` that differ from the record's."""
    changed = {}
    for name, value in vals.items():
        field = record._fields.get(name)
        if field is None or field.type in ("one2many", "many2many"):
            continue
        current = record[name]
        if field.type == "many2one":
            current = current.id
        kind = {"monetary": "money", "float": "number", "integer": "number", "date": "date", "boolean": "boolean"}.get(
            field.type, "char"
        )
        if not reconcile.equal(value if value is not False else None, current, kind):
            changed[name] = value
    return changed
