import unittest
from decimal import Decimal
from pathlib import Path

from odoo.addons.wisdom_migration.tools import invoicing, mapping, samples, workbook

MAPPING = Path(__file__).resolve().parents[2] / "data" / "mapping_default.yaml"


def mapped_rows(files, sheet):
    """The sample rows of ``sheet`` as the mapping cleans them."""
    [name] = [n for n in files if sheet.matches_file(n)]
    cells = workbook.read_rows(files[name], name, sheet.sheet)
    header, positions = sheet.find_header(cells)
    rows = (sheet.map_row(number, row, positions) for number, row in enumerate(cells[header + 1 :], start=header + 2))
    return [row for row in rows if row], positions


class TestSampleSet(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.files, cls.manifest = samples.generate(customers=60, seed=5, xls=False)
        cls.sheets = {sheet.name: sheet for sheet in mapping.load(MAPPING.read_bytes(), MAPPING.name)}

    def test_every_mapped_column_is_in_the_samples(self):
        for sheet in self.sheets.values():
            __, positions = mapped_rows(self.files, sheet)
            self.assertEqual(set(positions), {column.to for column in sheet.columns}, sheet.name)

    def test_invoice_rows_name_contract_lines_and_the_planted_ones_none(self):
        lines = {}
        for row in mapped_rows(self.files, self.sheets["contract_lines"])[0]:
            values = row.values
            lines.setdefault(values["order_id"], []).append(
                invoicing.ContractLine(
                    len(lines),
                    values["sequence"],
                    values["product_id"],
                    Decimal(values["product_uom_qty"]),
                    values["price_unit"],
                    values["price_subtotal"],
                )
            )
        rows, __ = mapped_rows(self.files, self.sheets["invoices"])
        planted = self.manifest["rejected"]["invoices"]
        unmatched, forms = set(), set()
        for row in rows:
            self.assertTrue(row.ok, row.errors)
            values = row.values
            forms.add((values["sale_line_sequence"] is not None, values["product_code"] is not None))
            try:
                matched = invoicing.matching_lines(
                    lines[values["invoice_origin"]], values["sale_line_sequence"], values["product_code"]
                )
            except invoicing.Unmatched:
                unmatched.add(row.key)
                continue
            if values["sale_line_sequence"] is not None or values["product_code"]:
                self.assertEqual(len(matched), 1, row.key)
                self.assertEqual(values["amount_total"], matched[0].amount, f"{row.key} invoices its line in full")
            else:
                self.assertEqual(values["amount_total"], sum(line.amount for line in matched), row.key)
        self.assertEqual(unmatched, set(planted))
        self.assertEqual(set(planted.values()), {"invoice_line_unmatched"})
        self.assertEqual(
            forms, {(False, False), (True, True), (False, True)}, "whole contract, 行号 + 物料编码, 物料编码"
        )
        self.assertLess(len(planted), len(rows) / 10, "a few")
