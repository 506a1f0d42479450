"""How each sheet's rows become records (customers through the duplicate check, contacts, contracts and
their lines, collection plans, collections allocated to their contracts; invoices are in
``migration_invoices.py``): the part of the migration loader (``migration_loader.Loader``) that knows
the business, beside the batch, external-id and reconciliation machinery it runs in."""

from collections import defaultdict
from decimal import Decimal

from odoo.fields import Command
from odoo.tools import SQL

from odoo.addons.wisdom_crm_base.tools import credit_code as credit_code_tools
from odoo.addons.wisdom_crm_base.tools import dedup
from odoo.addons.wisdom_fulfillment.models.wisdom_collection_allocation import POSTING_KEY

from ..tools import reconcile
from .migration_values import RowError, changed_values


class SheetLoaders:
    """Mixed into ``Loader``: one ``_load_<sheet kind>`` per kind of sheet and what it needs."""

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
            raise RowError(
                column.title, "customer_unknown" if lookup == "customer" else "contract_unknown", {"value": value}
            )
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
                        {"contract": row.key},
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
                if diff := changed_values(line, vals_line):
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
        self._allocate(
            [
                (payment, self.resolved[row.sheet, row.key]["contract"])
                for row, payment in zip(rows, payments, strict=True)
            ]
        )
        return payments

    def _update_payment(self, sheet, payment, vals):
        """A posted collection whose source changed: back to draft, new values, posted and allocated again."""
        changed = changed_values(payment, vals)
        if not changed:
            return False
        contract = self.resolved[sheet.name, payment.memo].get("contract")
        payment.wisdom_allocation_ids.with_context(wisdom_allow_unpost=True).unlink()
        payment.action_draft()
        payment.write(changed)
        payment.action_post()
        if contract:
            self._allocate([(payment, contract)])
        return True

    def _allocate(self, payments):
        """Book each ``(payment, contract id)`` onto the contract's open instalments, earliest due first,
        in the order given (a later payment of the same batch takes what an earlier one left); the
        instalments are read and the allocations created once for the whole batch."""
        lines = self.env["wisdom.collection.plan.line"].search(
            [("order_id", "in", list({order_id for __, order_id in payments if order_id}))],
            order="due_date, sequence, id",
        )
        by_order = defaultdict(list)
        residual = {}
        for line in lines:
            by_order[line.order_id.id].append(line.id)
            residual[line.id] = reconcile.to_money(line.residual)
        vals = []
        for payment, order_id in payments:
            left = Decimal(str(payment.amount))
            for line_id in by_order.get(order_id, ()):
                if left <= 0:
                    break
                amount = min(left, residual[line_id])
                if amount <= 0:
                    continue
                vals.append(
                    {
                        "payment_id": payment.id,
                        "plan_line_id": line_id,
                        "amount": float(amount),
                        "state": "posted",
                        "confirmed_by_id": self.env.uid,
                    }
                )
                residual[line_id] -= amount
                left -= amount
        if vals:
            self.env["wisdom.collection.allocation"].with_context(**{POSTING_KEY: True}).create(vals)
            lines.invalidate_recordset(["paid_amount", "residual"])
