import base64
import io

from reportlab.pdfgen import canvas

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools.pdf import PdfFileReader

from .common import WisdomContractCase


def agreement_pdf(pages):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for number in range(pages):
        pdf.drawString(72, 720, f"Technical agreement page {number + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def page_count(data):
    return len(PdfFileReader(io.BytesIO(data)).pages)


@tagged("post_install", "-at_install")
class TestTemplateAndArchive(WisdomContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["wisdom.contract.template"].create(
            {
                "name": "Bid supply contract",
                "contract_type": "bid",
                "warranty_months": 36,
                "retention_percent": 5,
                "delivery_days": 45,
                "body": "<p>No. {{ contract_no }} buyer {{ partner_name }} total {{ amount_total }}</p>",
                "annex_line_ids": [
                    Command.create({"product_id": cls.meter.id, "quantity": 200}),
                    Command.create({"product_id": cls.custom.id, "quantity": 2}),
                ],
                "instalment_ids": [
                    Command.create({"kind": "prepayment", "percent": 30}),
                    Command.create({"kind": "acceptance", "percent": 65, "days": 30}),
                    Command.create({"kind": "retention", "percent": 5, "days": 0}),
                ],
            }
        )

    def test_template_preselects_annex_lines_and_terms(self):
        with Form(self.env["sale.order"].with_user(self.rep_a1)) as form:
            form.partner_id = self.customer_a1
            with form.order_line.new() as line:
                line.product_id = self.meter
                line.product_uom_qty = 5
            form.contract_template_id = self.template
            self.assertEqual(form.contract_type, "bid")
            self.assertEqual(form.warranty_months, 36)
            # The meter was already on the quotation: only the custom terminal is added.
            self.assertEqual(len(form.order_line), 2)
            with form.order_line.edit(1) as line:
                self.assertEqual(line.product_id, self.custom)
                line.product_uom_qty = 3
        order = form.record
        self.assertEqual(order.order_line.mapped("product_uom_qty"), [5, 3])
        self.assertEqual(order.payment_term_line_ids.mapped("percent"), [30, 65, 5])
        self.assertTrue(order.order_line[1].wisdom_nonstandard)

    def test_apply_template_again_from_the_form(self):
        order = self._contract(contract_template_id=self.template.id)
        arch = order.with_user(self.rep_a1).get_views([(False, "form")])["views"]["form"]["arch"]
        arch = arch.decode() if isinstance(arch, bytes) else arch
        self.assertIn('name="action_wisdom_apply_template"', arch, "a button on the form reaches it")
        self.assertEqual(order.warranty_months, 0, "created without the form: nothing applied yet")
        self.assertIs(order.with_user(self.rep_a1).action_wisdom_apply_template(), True)
        self.assertEqual(order.warranty_months, 36)
        self.assertEqual(order.order_line.product_id, self.meter | self.custom, "only the missing annex item is added")
        self.assertEqual(len(order.order_line), 2)
        order.with_user(self.rep_a1).action_cancel()
        with self.assertRaisesRegex(UserError, "only be applied to a quotation"):
            order.with_user(self.rep_a1).action_wisdom_apply_template()

    def test_template_files_are_versioned(self):
        File = self.env["wisdom.contract.template.file"].with_user(self.contract_admin)
        first = File.create({"template_id": self.template.id, "file": base64.b64encode(b"v1"), "file_name": "a.docx"})
        second = File.create({"template_id": self.template.id, "file": base64.b64encode(b"v2"), "file_name": "a.docx"})
        self.assertEqual((first.version, second.version), (1, 2))
        self.assertEqual(self.template.current_file_id, second)
        first.action_make_current()
        self.assertEqual(self.template.current_file_id, first)

    def test_contract_body_in_pdf_escapes_values(self):
        self.customer_a1.name = "Grid <Co> & Sons"
        order = self._contract(contract_template_id=self.template.id)
        order.action_wisdom_submit_review()
        body = str(order._wisdom_contract_body())
        self.assertIn(order.contract_no, body)
        self.assertIn("Grid &lt;Co&gt; &amp; Sons", body)
        html = self.env["ir.actions.report"]._render_qweb_html("sale.action_report_saleorder", order.ids)[0]
        self.assertIn(b"Grid &lt;Co&gt; &amp; Sons", html)
        self.assertIn(order.contract_no.encode(), html)

    def test_archive_requirements_per_type(self):
        standard = self._contract()
        bid = self._contract(contract_type="bid")
        technical = self._contract(lines=[(self.custom, 1, 2000.0)])
        self.assertFalse(standard.archive_complete)
        self.assertIn("Signed Original", standard.missing_document_categories)
        self.assertIn("Bid-award Notice", bid.missing_document_categories)
        self.assertNotIn("Bid-award Notice", standard.missing_document_categories)
        self.assertIn("Technical Agreement", technical.missing_document_categories)
        self.assertNotIn("Technical Agreement", standard.missing_document_categories)

        def upload(order, category):
            self.env["wisdom.contract.document"].with_user(self.rep_a1).create(
                {"order_id": order.id, "category": category, "attachment": base64.b64encode(b"scan")}
            )

        upload(standard, "signed_original")
        self.assertTrue(standard.archive_complete)
        upload(bid, "signed_original")
        self.assertFalse(bid.archive_complete)
        upload(bid, "bid_award")
        self.assertTrue(bid.archive_complete)
        upload(technical, "signed_original")
        self.assertFalse(technical.archive_complete)
        upload(technical, "technical_agreement")
        self.assertTrue(technical.archive_complete)

    def test_merged_pdf_has_pages_of_both_documents(self):
        order = self._contract(lines=[(self.meter, 10, 600.0)] * 60 + [(self.custom, 1, 2000.0)])
        with self.assertRaisesRegex(UserError, "technical agreement"):
            order.action_wisdom_merged_annex_pdf()
        self.env["wisdom.contract.document"].create(
            {
                "order_id": order.id,
                "category": "technical_agreement",
                "attachment": base64.b64encode(agreement_pdf(3)),
                "attachment_name": "agreement.pdf",
            }
        )
        annex_pages = page_count(order._wisdom_annex_pdf())
        self.assertGreaterEqual(annex_pages, 2)
        action = order.with_user(self.rep_a1).action_wisdom_merged_annex_pdf()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        self.assertEqual(attachment.res_id, order.id)
        self.assertEqual(page_count(base64.b64decode(attachment.datas)), annex_pages + 3)

    def test_new_requirement_updates_archives(self):
        order = self._contract()
        self.env["wisdom.contract.document"].create(
            {"order_id": order.id, "category": "signed_original", "attachment": base64.b64encode(b"scan")}
        )
        self.assertTrue(order.archive_complete)
        requirement = (
            self.env["wisdom.contract.document.requirement"]
            .with_user(self.contract_admin)
            .create({"category": "other", "contract_type": "standard"})
        )
        self.assertFalse(order.archive_complete)
        requirement.active = False
        self.assertTrue(order.archive_complete)
