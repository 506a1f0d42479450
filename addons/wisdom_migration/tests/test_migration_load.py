import base64
import copy
import io
from decimal import Decimal
from unittest.mock import patch

import openpyxl
import psycopg2

from odoo.fields import Command
from odoo.tools import SQL

from odoo.addons.wisdom_migration.models.migration_messages import report_labels
from odoo.addons.wisdom_migration.tools import reconcile, workbook

from .common import MigrationCase


def edit(files, part, key, column, value):
    """A copy of the sample set with one cell of the row ``key`` changed (xlsx files)."""
    [name] = [n for n in files if part in n]
    book = openpyxl.load_workbook(io.BytesIO(files[name]))
    sheet = book.active
    header = [cell.value for cell in sheet[2]]
    for row in sheet.iter_rows(min_row=3):
        if row[0].value == key:
            row[header.index(column)].value = value
            break
    else:
        raise AssertionError(f"{key} not in {name}")
    buffer = io.BytesIO()
    book.save(buffer)
    return dict(files, **{name: buffer.getvalue()})


class TestMigrationLoad(MigrationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = cls.load()

    @property
    def contract_key(self):
        return sorted(self.loader.records["contracts"])[0]

    def ref(self, sheet, key):
        return self.env.ref(f"migration.{sheet}_{key}")

    def test_sample_set_loads_and_reconciles(self):
        loader = self.loader
        self.assertEqual(loader.reconciliation.failures(), [])
        self.assertEqual(loader.reconciliation.accuracy, Decimal(100))
        self.assertGreater(loader.reconciliation.compared, 2000)
        self.assertEqual(loader.reconciliation.money_difference_count, 0)
        self.assertGreater(len(loader.reconciliation.money), 100, "totals per customer and per contract")
        customer = self.ref("customers", "KH00001")
        self.assertTrue(customer.wisdom_customer)
        self.assertTrue(customer.customer_code, "customers get the suite's customer code")
        self.assertEqual(loader.tally["customers"].merged, self.manifest["merged"])
        for sheet, tally in loader.tally.items():
            self.assertEqual(tally.source_rows, tally.loaded + tally.rejected, sheet)
            self.assertEqual(tally.loaded, tally.created + tally.merged, f"{sheet}: a first load creates")

    def test_statistics_refreshed_while_the_tables_grow(self):
        """Batches 1, 2, 4, 8… of a sheet and its end refresh PostgreSQL's statistics of the tables
        it fills (ANALYZE counts the rows of the run's own transaction); a database user that may not
        analyze them gets a warning and loads all the same."""
        Cursor = type(self.env.cr._cursor) if hasattr(self.env.cr, "_cursor") else type(self.env.cr)
        original = Cursor.execute
        analyzed = []

        def spy(cr, query, params=None, log_exceptions=True):
            text = query.code if isinstance(query, SQL) else str(query)
            if text.startswith("ANALYZE"):
                analyzed.append(text)
                if refuse:
                    raise psycopg2.errors.InsufficientPrivilege(f"must be owner of table ({text})")
            return original(cr, query, params, log_exceptions)

        refuse = False
        with patch.object(Cursor, "execute", spy):
            self.load()
        for table in ("res_partner", "sale_order_line", "account_payment", "account_move_line", "auditlog_log"):
            self.assertIn(f'ANALYZE "{table}"', analyzed)
        # 50-row batches here: a sheet of 51–100 rows is analyzed before batches 1 and 2 and at its end
        self.assertGreaterEqual(analyzed.count('ANALYZE "wisdom_collection_plan_line"'), 3)

        analyzed.clear()
        refuse = True
        with (
            patch.object(Cursor, "execute", spy),
            self.assertLogs("odoo.addons.wisdom_migration.models.migration_upkeep", "WARNING") as logs,
        ):
            loader = self.load()
        self.assertEqual(len(analyzed), 1, "refused once, not asked again")
        self.assertIn("not refreshed", logs.output[0])
        self.assertEqual(loader.reconciliation.failures(), [])

    def test_money_per_customer_matches_the_source(self):
        for key, money in self.manifest["money"].items():
            customer = self.ref("customers", key)
            orders = self.env["sale.order"].search([("partner_id", "=", customer.id)])
            self.assertEqual(
                Decimal(str(sum(orders.mapped("amount_total")))).quantize(Decimal("0.01")), money["contracted"], key
            )
            plans = self.env["wisdom.collection.plan.line"].search([("order_id", "in", orders.ids)])
            self.assertEqual(
                Decimal(str(round(sum(plans.mapped("amount")), 2))).quantize(Decimal("0.01")), money["planned"], key
            )
            self.assertEqual(
                Decimal(str(round(sum(plans.mapped("paid_amount")), 2))).quantize(Decimal("0.01")),
                money["collected"],
                f"{key}: every collection allocated to its contract",
            )
            invoices = self.env["account.move"].search(
                [("move_type", "=", "out_invoice"), ("invoice_origin", "in", orders.mapped("contract_no"))]
            )
            self.assertEqual(
                Decimal(str(round(sum(invoices.mapped("amount_total")), 2))).quantize(Decimal("0.01")),
                money["invoiced"],
                f"{key}: every invoice row but the refused ones",
            )

    def test_collections_fill_the_instalments_earliest_due_first(self):
        """The collections of a batch are allocated together: a later collection of the same contract
        takes what the earlier ones left, instalment after instalment."""
        payments = self.env["account.payment"].browse(self.loader.records["collections"].values())
        several = [
            order for order in payments.wisdom_allocation_ids.plan_line_id.order_id if len(order.plan_line_ids) > 1
        ]
        shared = [
            order
            for order in several
            if len(payments.filtered(lambda p, order=order: order in p.wisdom_allocation_ids.plan_line_id.order_id)) > 1
        ]
        self.assertTrue(shared, "the sample set has contracts with several collections")
        for order in several:
            lines = order.plan_line_ids.sorted(lambda line: (line.due_date, line.sequence, line.id))
            paid = [reconcile.to_money(line.paid_amount) for line in lines]
            amounts = [reconcile.to_money(line.amount) for line in lines]
            filled = next((i for i, (p, a) in enumerate(zip(paid, amounts, strict=True)) if p < a), len(lines))
            self.assertEqual(paid[:filled], amounts[:filled], order.name)
            self.assertFalse(any(paid[filled + 1 :]), f"{order.name}: nothing paid after an open instalment")

    def test_two_collections_of_one_contract_in_one_batch(self):
        contracts = self.env["sale.order"].browse(self.loader.records["contracts"].values())
        open_lines = contracts.plan_line_ids.filtered(lambda line: line.residual > 2).sorted(
            lambda line: (line.due_date, line.sequence, line.id)
        )
        by_order = open_lines.grouped("order_id")
        order = next(order for order, lines in by_order.items() if len(lines) > 1)
        first, second = by_order[order][:2]
        half = round(first.residual / 2, 2)
        payments = self.loader.env["account.payment"].create(
            [
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "amount": amount,
                }
                for amount in (half, first.residual - half + 1.0)
            ]
        )
        payments.action_post()
        residual_before = second.residual
        self.loader._allocate([(payment, order.id) for payment in payments])

        self.assertEqual(payments[0].wisdom_allocation_ids.mapped("plan_line_id"), first)
        self.assertEqual(payments[1].wisdom_allocation_ids.mapped("plan_line_id"), first | second)
        self.assertEqual(first.residual, 0.0, "the second collection takes what the first left")
        self.assertAlmostEqual(second.residual, residual_before - 1.0, places=2)

    def test_contracts_are_signed_history(self):
        order = self.env["sale.order"].search([("contract_no", "=like", "HT20%")], limit=1)
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.signed_date)
        self.assertTrue(order.plan_line_ids, "collection plan from the plan sheet")
        payment = self.env["account.payment"].search([("memo", "=like", "HK%")], limit=1)
        self.assertIn(payment.state, ("in_process", "paid"))
        self.assertEqual(payment.wisdom_collection_state, "done")
        self.assertFalse(payment.activity_ids, "history asks no rep to confirm a collection")
        invoice = self.env["account.move"].search([("move_type", "=", "out_invoice"), ("ref", "=like", "24%")], limit=1)
        self.assertEqual(invoice.state, "posted")

    def test_rejected_rows_listed_with_reasons(self):
        rejected = {
            sheet: {row.key: {reason for reason, __ in row.errors.values()} for row in rows if not row.ok}
            for sheet, rows in self.loader.rows.items()
        }
        for sheet, planted in self.manifest["rejected"].items():
            for key, reason in planted.items():
                self.assertIn(key, rejected[sheet], f"{sheet} {key} ({reason}) must be refused")
                self.assertIn(reason, rejected[sheet][key])
        self.assertEqual(
            set(rejected["customers"]),
            set(self.manifest["rejected"].get("customers", {})),
            "no customer refused that was not planted",
        )
        # the reject workbook lists them, one line per refused cell with its reason
        content = self.env["wisdom.migration.run"].create({"name": "t"})
        content._wisdom_store_results(self.loader)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(content.reject_file)))
        self.assertIn("contracts", book.sheetnames)
        lines = list(book["contracts"].iter_rows(values_only=True))
        labels = report_labels(content.with_context(lang=self.env.user.lang).env)  # the starter's language
        self.assertEqual(lines[0][-3:], (labels["column"], labels["reason"], labels["message"]))
        self.assertEqual({line[2] for line in lines[1:]}, set(self.manifest["rejected"]["contracts"]))
        self.assertEqual(content.state, "passed")
        self.assertEqual(content.rows_rejected, sum(t.rejected for t in self.loader.tally.values()))

    def test_rerun_updates_instead_of_duplicating(self):
        counts = {
            model: self.env[model].search_count([])
            for model in (
                "res.partner",
                "sale.order",
                "sale.order.line",
                "wisdom.collection.plan.line",
                "account.payment",
                "account.move",
            )
        }
        files = edit(self.files, "客户台账", "KH00003", "联系电话", "0731-12345678")
        files = edit(files, "回款记录", "HK0000001", "回款金额", "1,000.00")
        files = edit(files, "合同台账", self.contract_key, "质保期(月)", "36个月")
        rerun = self.load(files)
        self.assertEqual(rerun.reconciliation.failures(), [], rerun.reconciliation.mismatches[:5])
        self.assertEqual({model: self.env[model].search_count([]) for model in counts}, counts, "no new records")
        self.assertEqual(sum(t.created for t in rerun.tally.values()), 0)
        self.assertEqual(sum(t.updated for t in rerun.tally.values()), 3, "exactly the changed rows")
        self.assertEqual(self.ref("customers", "KH00003").phone, "0731-12345678")
        self.assertEqual(self.ref("contracts", self.contract_key).warranty_months, 36)
        payment = self.ref("collections", "HK0000001")
        self.assertEqual(payment.amount, 1000.0)
        self.assertEqual(payment.wisdom_allocated_amount, 1000.0, "allocated again after the change")
        self.assertEqual(rerun.tally["invoices"].updated, 0, "linked invoices stay as they are")
        for order, moves in self._invoices_by_contract(rerun).items():
            self.assertAlmostEqual(order.invoiced_amount, sum(moves.mapped("amount_total")), places=2)

    def _invoices(self, loader=None):
        """{invoice no.: invoice} of the invoice rows loaded."""
        Move = self.env["account.move"]
        return {key: Move.browse(move_id) for key, move_id in (loader or self.loader).records["invoices"].items()}

    def _invoices_by_contract(self, loader=None):
        """{contract: its invoices} of the invoice rows loaded."""
        by_contract = {}
        for move in self._invoices(loader).values():
            order = move.invoice_line_ids.sale_line_ids.order_id
            by_contract[order] = by_contract.get(order, move.browse()) | move
        return by_contract

    def test_invoices_move_the_contracts_invoiced_figures(self):
        invoices = self._invoices()
        self.assertGreater(len(invoices), 10)
        for key, move in invoices.items():
            order = move.invoice_line_ids.sale_line_ids.order_id
            self.assertEqual(order.contract_no, move.invoice_origin, f"{key} is linked to the contract it names")
        linked = [move.invoice_line_ids.sale_line_ids for move in invoices.values()]
        self.assertTrue([lines for lines in linked if lines == lines.order_id.order_line], "invoices of a contract")
        self.assertTrue(
            [lines for lines in linked if len(lines) == 1 < len(lines.order_id.order_line)], "invoices of one line"
        )
        # a row names one line (行号, 物料编码) or the whole contract, and invoices it in full
        refused = {
            row.values["invoice_origin"]
            for row in self.loader.rows["invoices"]
            if row.key in self.manifest["rejected"]["invoices"]
        }
        for order, moves in self._invoices_by_contract().items():
            self.assertAlmostEqual(order.invoiced_amount, sum(moves.mapped("amount_total")), places=2)
            for line in order.order_line:
                invoiced = line in moves.invoice_line_ids.sale_line_ids
                self.assertEqual(line.qty_invoiced, line.product_uom_qty if invoiced else 0.0, order.contract_no)
            if order.contract_no in refused:  # the line of the refused row stays uninvoiced
                self.assertLess(order.invoiced_percent, 100.0, order.contract_no)
            else:
                self.assertEqual(order.invoiced_percent, 100.0, order.contract_no)
        by_contract = [row for row in self.loader.reconciliation.money_rows("contract") if row[2] == "invoices"]
        self.assertEqual(len(by_contract), len(self._invoices_by_contract()), "invoiced amount compared per contract")
        self.assertFalse([row for row in by_contract if row[5]])

    def test_invoice_rows_naming_no_contract_line_refused(self):
        planted = self.manifest["rejected"]["invoices"]
        self.assertGreaterEqual(len(planted), 2, "the samples plant a wrong line number and a wrong material code")
        rows = {row.key: row for row in self.loader.rows["invoices"]}
        for key in planted:
            self.assertEqual([problem.reason for problem in rows[key].errors.values()], ["invoice_line_unmatched"], key)
            self.assertNotIn(key, self.loader.records["invoices"], f"{key} not loaded")
        tally = self.loader.tally["invoices"]
        self.assertEqual(tally.rejected, len(planted))
        self.assertEqual(tally.loaded, len(rows) - len(planted))

    def test_invoice_of_one_line_and_unmatched_invoices(self):
        invoices = self._invoices()
        keys = sorted(key for key, move in invoices.items() if len(move.invoice_line_ids) > 1)
        partial, wrong_line, wrong_contract, wrong_product = keys[:4]
        order = invoices[partial].invoice_line_ids.sale_line_ids.order_id
        first = order.order_line.sorted("sequence")[0]
        half = round(first.price_subtotal / 2, 2)
        files = edit(self.files, "发票台账", partial, "价税合计", half)
        files = edit(files, "发票台账", wrong_contract, "合同编号", "HT-NOT-THERE")
        files = edit(files, "发票台账", partial, "行号", first.sequence)
        files = edit(files, "发票台账", wrong_line, "行号", 99)
        # a line that is there, with a material code it does not have: the code is what to fix
        other_first = invoices[wrong_product].invoice_line_ids.sale_line_ids.order_id.order_line.sorted("sequence")[0]
        files = edit(files, "发票台账", wrong_product, "行号", other_first.sequence)
        files = edit(files, "发票台账", wrong_product, "物料编码", "NO-SUCH-CODE")
        rerun = self.load(files)
        self.assertEqual(rerun.reconciliation.failures(), [], rerun.reconciliation.mismatches[:5])
        rejected = {row.key: row.errors for row in rerun.rows["invoices"] if not row.ok}
        self.assertEqual(
            set(rejected),
            {wrong_line, wrong_contract, wrong_product, *self.manifest["rejected"]["invoices"]},
            "refused, not loaded unlinked",
        )
        self.assertEqual(rejected[wrong_line]["行号"].reason, "invoice_line_unmatched")
        self.assertEqual(list(rejected[wrong_product]), ["物料编码"])
        self.assertEqual(rejected[wrong_product]["物料编码"].reason, "invoice_line_unmatched")
        self.assertEqual(rejected[wrong_contract]["合同编号"].reason, "contract_unknown")
        move = invoices[partial]
        self.assertEqual(move.amount_total, half)
        self.assertEqual(move.invoice_line_ids.sale_line_ids, first, "only the line it names")
        self.assertEqual(order.invoiced_amount, half)
        self.assertEqual(first.qty_invoiced, move.invoice_line_ids.quantity)
        self.assertAlmostEqual(first.qty_invoiced, first.product_uom_qty / 2, places=2)
        self.assertEqual((order.order_line - first).mapped("qty_invoiced"), [0.0] * (len(order.order_line) - 1))
        # the same workbooks again: nothing changes
        again = self.load(files)
        self.assertEqual(again.tally["invoices"].updated, 0)
        self.assertEqual(again.tally["invoices"].created, 0)
        self.assertEqual(move.invoice_line_ids.sale_line_ids, first)
        self.assertEqual(order.invoiced_amount, half)

    def test_rerun_links_invoices_of_an_earlier_unlinked_load(self):
        # an invoice of one line of its contract
        key, move = next(
            (key, move)
            for key, move in sorted(self._invoices().items())
            if len(move.invoice_line_ids.sale_line_ids)
            == 1
            < len(move.invoice_line_ids.sale_line_ids.order_id.order_line)
        )
        linked = move.invoice_line_ids.sale_line_ids
        order, total = linked.order_id, move.amount_total
        invoiced = order.invoiced_amount
        # as an earlier loader left it: one line of the whole amount, not linked to the contract
        move.button_draft()
        move.write(
            {
                "invoice_line_ids": [Command.delete(line.id) for line in move.invoice_line_ids]
                + [Command.create({"name": key, "quantity": 1, "price_unit": total, "tax_ids": [Command.clear()]})]
            }
        )
        move.action_post()
        self.assertFalse(move.invoice_line_ids.sale_line_ids)
        rerun = self.load()
        self.assertEqual(rerun.tally["invoices"].updated, 1)
        self.assertEqual(move.invoice_line_ids.sale_line_ids, linked)
        self.assertEqual((move.amount_total, order.invoiced_amount), (total, invoiced))
        self.assertEqual(linked.qty_invoiced, linked.product_uom_qty)

    def test_corrupted_value_fails_the_report(self):
        line = self.ref("collection_plans", f"{self.contract_key}_1")
        self.env.flush_all()
        self.env.execute_query(
            SQL("UPDATE wisdom_collection_plan_line SET amount = amount + 0.01 WHERE id = %s", line.id)
        )
        self.env.invalidate_all()
        result = self.loader.reconcile()
        self.assertEqual(result.money_difference_count, 2, "the contract and its customer")
        self.assertTrue(any("money totals differ" in reason for reason in result.failures()))
        self.assertIn(("collection_plans", f"{self.contract_key}_1", "amount"), [m[:3] for m in result.mismatches])
        loader = copy.copy(self.loader)
        loader.reconciliation = result
        run = self.env["wisdom.migration.run"].create({"name": "corrupted"})
        run._wisdom_store_results(loader)
        self.assertEqual(run.state, "failed")
        self.assertEqual(run.money_differences, 2)
        report = openpyxl.load_workbook(io.BytesIO(base64.b64decode(run.report_file)))
        sheet = report_labels(run.with_context(lang=self.env.user.lang).env)["money_contract_sheet"]
        differences = [row for row in report[sheet].iter_rows(values_only=True) if row[-1]]
        self.assertEqual(differences[1][0], self.contract_key)
        self.assertAlmostEqual(differences[1][-1], 0.01)

    def test_xls_workbook_loaded(self):
        self.assertTrue(any(name.endswith(".xls") for name in self.files), "contacts come as .xls (xlwt)")
        contact = self.env["res.partner"].browse(self.loader.records["contacts"][min(self.loader.records["contacts"])])
        self.assertEqual(contact.type, "contact")
        self.assertTrue(contact.parent_id.wisdom_customer)
        self.assertTrue(contact.phone, "split off the '张三 138…' cell")
        self.assertEqual(workbook.WORKBOOK_SUFFIXES, (".xls", ".xlsx"))
