import io
import unittest
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from odoo.addons.wisdom_migration.tools import mapping, reconcile, samples, workbook

MAPPING = Path(__file__).resolve().parents[2] / "data" / "mapping_default.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def sheets():
    return {sheet.name: sheet for sheet in mapping.load(MAPPING.read_bytes(), MAPPING.name)}


class TestMappingFile(unittest.TestCase):
    def test_default_mapping_loads_in_dependency_order(self):
        self.assertEqual(
            list(sheets()),
            ["customers", "contacts", "contracts", "contract_lines", "collection_plans", "collections", "invoices"],
        )

    def test_json_mapping(self):
        content = (
            '{"sheets": [{"name": "customers", "kind": "customers", "model": "res.partner", "file": "*", '
            '"key": "no", "columns": [{"column": "编号", "to": "no", "clean": "code"}]}]}'
        )
        [sheet] = mapping.load(content, "m.json")
        self.assertEqual(sheet.columns[0].cleaners, ("code",))

    def test_bad_mappings_refused(self):
        base = {
            "name": "customers",
            "kind": "customers",
            "model": "res.partner",
            "file": "*",
            "key": "no",
            "columns": [{"column": "编号", "to": "no"}],
        }
        bad = [
            ({}, "non-empty list"),
            ({"sheets": [dict(base, kind="orders")]}, "kind"),
            ({"sheets": [dict(base, name="Customers-1")]}, "lower-case"),
            ({"sheets": [dict(base, key="id")]}, "key id is no column"),
            ({"sheets": [dict(base, columns=[{"column": "编号", "to": "no", "clean": "soundex"}])]}, "unknown cleaner"),
            (
                {"sheets": [dict(base, columns=[{"column": "编号", "to": "no", "lookup": "warehouse"}])]},
                "unknown lookup",
            ),
            ({"sheets": [base, base]}, "mapped twice"),
        ]
        for data, message in bad:
            with self.subTest(message=message), self.assertRaisesRegex(mapping.MappingError, message):
                mapping.from_dict(data)
        with self.assertRaisesRegex(mapping.MappingError, "cannot be read"):
            mapping.load("sheets: [unclosed", "m.yaml")


class TestRows(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.sheet = sheets()["customers"]
        self.cells = [
            ["客户台账（2016-2025）", None, None],
            [],
            ["客户编号", "客户名称 *", "统一社会信用代码", "客户类别", "联系电话"],
            ["kh001", " 长沙星城电力 有限公司", None, "电网", "0731-88886666"],
            [None, None, None, None, None],
            ["KH002", None, "91430100MA4L0XXXX", "军工", "123"],
        ]

    def test_header_found_under_a_merged_title_row(self):
        index, positions = self.sheet.find_header(self.cells)
        self.assertEqual(index, 2)
        self.assertEqual(positions["name"], 1, "title with a required-star still matches")
        self.assertNotIn("email", positions, "a column the workbook lacks stays empty")

    def test_missing_header_refused(self):
        with self.assertRaisesRegex(mapping.MappingError, "客户编号, 客户名称"):
            self.sheet.find_header([["编号", "名称"]])

    def test_rows_cleaned_with_reasons_per_cell(self):
        __, positions = self.sheet.find_header(self.cells)
        good = self.sheet.map_row(4, self.cells[3], positions)
        self.assertTrue(good.ok)
        self.assertEqual(good.key, "KH001")
        self.assertEqual(good.values["name"], "长沙星城电力有限公司")
        self.assertEqual(good.values["customer_category"], "grid")
        self.assertIsNone(self.sheet.map_row(5, self.cells[4], positions), "blank row")
        bad = self.sheet.map_row(6, self.cells[5], positions)
        self.assertEqual(
            {column: reason for column, (reason, __) in bad.errors.items()},
            {
                "客户名称": "required",
                "统一社会信用代码": "credit_code_length",
                "客户类别": "value_unknown",
                "电话": "phone_format",
            },
            "reasons are listed under the mapping's column titles",
        )

    def test_duplicate_keys_refused(self):
        __, positions = self.sheet.find_header(self.cells)
        rows = [self.sheet.map_row(4, self.cells[3], positions), self.sheet.map_row(9, self.cells[3], positions)]
        mapping.reject_duplicate_keys(rows, self.sheet)
        self.assertTrue(rows[0].ok)
        self.assertEqual(rows[1].errors["客户编号"][0], "key_duplicate")


class TestCrossChecks(unittest.TestCase):
    def row(self, sheet, key, **values):
        return mapping.MappedRow(sheet, 1, raw={}, values=values, key=key)

    def test_lines_and_totals(self):
        all_sheets = sheets()
        lines = [
            self.row(
                "contract_lines",
                "HT1_1",
                contract_no="HT1",
                product_uom_qty=Decimal(3),
                price_unit=Decimal("10.50"),
                price_subtotal=Decimal("31.50"),
            ),
            self.row(
                "contract_lines",
                "HT2_1",
                contract_no="HT2",
                product_uom_qty=Decimal(2),
                price_unit=Decimal("10"),
                price_subtotal=Decimal("25"),
            ),
        ]
        contracts = [
            self.row("contracts", "HT1", amount_total=Decimal("31.50")),
            self.row("contracts", "HT2", amount_total=Decimal("20")),
        ]
        for line in lines:
            line.values["order_id"] = line.values.pop("contract_no")
        mapping.check_line_amounts(all_sheets["contract_lines"], lines)
        self.assertTrue(lines[0].ok)
        self.assertEqual(lines[1].errors["金额"][0], "line_amount_mismatch")
        refused = mapping.check_contract_totals(
            all_sheets["contracts"], contracts, all_sheets["contract_lines"], lines, contract_ref="order_id"
        )
        self.assertEqual(refused, {"HT2"}, "its only line was refused: the total no longer adds up")
        self.assertEqual(contracts[1].errors["合同金额"][0], "total_mismatch")


class TestWorkbooks(unittest.TestCase):
    def test_sample_set_reads_back_through_the_mapping(self):
        files, manifest = samples.generate(customers=30, seed=3)
        by_name = sheets()
        for sheet in by_name.values():
            [filename] = [f for f in files if sheet.matches_file(f)]
            cells = workbook.read_rows(files[filename], filename, sheet.sheet)
            header, positions = sheet.find_header(cells)
            self.assertEqual(header, 1, f"{filename}: title row above the header")
        self.assertIn("customers", {s for s in by_name})
        self.assertGreater(sum(len(v) for v in manifest["money"].values()), 0)

    def test_xls_fixture(self):
        content = (FIXTURES / "contacts_small.xls").read_bytes()
        rows = workbook.read_rows(content, "联系人.xls")
        self.assertEqual(rows[1][:3], ["联系人编号", "客户编号", "联系人及电话"])
        sheet = sheets()["contacts"]
        header, positions = sheet.find_header(rows)
        mapped = [sheet.map_row(i, row, positions) for i, row in enumerate(rows[header + 1 :])]
        self.assertEqual(mapped[0].values["name"], "张三")
        self.assertEqual(mapped[0].values["phone"], "13812345678")

    def test_xls_date_cells_become_dates(self):
        content = (FIXTURES / "contacts_small.xls").read_bytes()
        rows = workbook.read_rows(content, "联系人.xls", "日期")
        self.assertEqual(rows[0][0].date(), date(2021, 3, 5))

    def test_zip_upload_and_bad_files(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("历史数据/01_客户台账.xlsx", workbook.write_xlsx([("a", ["x"], [[1]])]))
            archive.writestr("readme.txt", "not a workbook")
            archive.writestr("~$01_客户台账.xlsx", "Excel lock file")
        files = workbook.source_files(buffer.getvalue(), "history.zip")
        self.assertEqual(list(files), ["01_客户台账.xlsx"])
        with self.assertRaisesRegex(workbook.WorkbookError, "not a readable .xlsx"):
            workbook.read_rows(b"garbage", "a.xlsx")
        with self.assertRaisesRegex(workbook.WorkbookError, "not a readable .xls"):
            workbook.read_rows(b"garbage", "a.xls")
        with self.assertRaisesRegex(workbook.WorkbookError, "upload a .zip of workbooks"):
            workbook.source_files(b"x", "a.csv")
        with self.assertRaisesRegex(workbook.WorkbookError, "no sheet named"):
            workbook.read_rows(files["01_客户台账.xlsx"], "a.xlsx", "合同")


class TestReconcile(unittest.TestCase):
    def test_equal_per_kind(self):
        cases = [
            (Decimal("100.10"), 100.1, "money", True),
            (Decimal("100.10"), 100.11, "money", False),
            (date(2021, 3, 5), date(2021, 3, 5), "date", True),
            (None, False, "char", True),
            ("长沙", "长沙 ", "char", False),
            (Decimal(3), 3.0, "number", True),
            (5, 6, "many2one", False),
        ]
        for source, stored, kind, expected in cases:
            with self.subTest(source=source, stored=stored):
                self.assertEqual(reconcile.equal(source, stored, kind), expected)

    def test_verdict(self):
        result = reconcile.Reconciliation()
        for index in range(1000):
            result.compare("customers", str(index), "name", "a", "a", "char")
        result.add_money("contract", 1, "contracts", Decimal("10.00"), 0)
        result.add_money("contract", 1, "contracts", 0, 10.0)
        self.assertEqual(result.failures(), [])
        result.compare("customers", "x", "name", "a", "b", "char")
        self.assertEqual(result.accuracy, Decimal("99.900"))
        self.assertEqual(result.failures(), [], "99.9 % passes")
        result.compare("customers", "y", "name", "a", "b", "char")
        self.assertIn("below 99.9", result.failures()[0])
        result.add_money("contract", 2, "contracts", Decimal("10.00"), 10.01)
        self.assertEqual(result.money_difference_count, 1)
        self.assertEqual(result.money_rows("contract")[-1][-1], Decimal("0.01"))
