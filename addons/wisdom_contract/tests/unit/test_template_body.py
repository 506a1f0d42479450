import io
import unittest

from odoo.tools.pdf import PdfFileReader

from odoo.addons.wisdom_contract.tools import annex_pdf, template_body


class TestTemplateBody(unittest.TestCase):
    def test_placeholders_are_substituted_and_escaped(self):
        body = "<p>合同编号 {{ contract_no }}，买方 {{partner_name}}，金额 {{ amount_total }}。</p>"
        out = template_body.render(
            body, {"contract_no": "HT-1", "partner_name": "A&B <Co>", "amount_total": "1,000.00"}
        )
        self.assertEqual(out, "<p>合同编号 HT-1，买方 A&amp;B &lt;Co&gt;，金额 1,000.00。</p>")

    def test_unknown_placeholders_stay_visible_and_empty_values(self):
        self.assertEqual(template_body.render("{{ typo }} {{ x }}", {"x": False}), "{{ typo }} ")
        self.assertEqual(template_body.placeholders("{{ a }} {{ b }} {{a}}"), ["a", "b"])
        self.assertEqual(template_body.render(None, {}), "")


class TestAnnexPdf(unittest.TestCase):
    def test_annex_pages_grow_with_lines(self):
        headers = ("编码", "产品", "数量", "单位", "单价", "小计")
        one = annex_pdf.AnnexLine("WS-1", "单相智能电能表", 10, "只", 168, 1680)
        small = annex_pdf.render("合同附件", "HT-1", [one], "合计", 1680, headers)
        large = annex_pdf.render("合同附件", "HT-1", [one] * 150, "合计", 252000, headers)
        self.assertTrue(small.startswith(b"%PDF"))
        self.assertEqual(len(PdfFileReader(io.BytesIO(small)).pages), 1)
        self.assertGreater(len(PdfFileReader(io.BytesIO(large)).pages), 2)
