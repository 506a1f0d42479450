"""NFR-03 XSS: script and markup typed by users (customer names, product names, review rules, demand
reasons, chatter notes, disposal reasons) come out escaped wherever the suite builds HTML itself —
the contract PDF, the dunning letter, the live review, the duplicate warning — and the chatter
keeps no active markup."""

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.wisdom_fulfillment.tests.common import FulfilmentCase

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert("


@tagged("post_install", "-at_install")
class TestXss(FulfilmentCase):
    def assertEscaped(self, html, expect_text=True):
        html = html.decode() if isinstance(html, bytes) else str(html)
        self.assertNotIn("<script>alert", html)
        self.assertNotIn("<img src=x", html)
        self.assertNotRegex(html, r"<[^>]*\sonerror=alert")
        if expect_text:
            self.assertIn(ESCAPED, html)

    def _report_html(self, report, records):
        return self.env["ir.actions.report"]._render_qweb_html(report, records.ids)[0]

    def test_contract_pdf(self):
        self.customer_a1.with_user(self.rep_a1).name = f"华北电网{PAYLOAD}"
        self.product.with_user(self.env.ref("base.user_admin")).name = f"电表{PAYLOAD}"
        template = (
            self.env["wisdom.contract.template"]
            .with_user(self.contract_admin)
            .create(
                {
                    "name": "标准合同",
                    "body": "<p>甲方：{{ partner_name }}；销售：{{ salesperson }}</p>",
                }
            )
        )
        self.rep_a1.sudo().name = f"张三{PAYLOAD}"
        order = self._contract(contract_template_id=template.id, note=PAYLOAD)
        order.payment_term_line_ids[:1].note = PAYLOAD
        html = self._report_html("sale.action_report_saleorder", order)
        self.assertEscaped(html)
        self.assertIn("甲方：华北电网&lt;script&gt;", html.decode())

    def test_dunning_letter(self):
        self.customer_a1.with_user(self.rep_a1).name = f"华北电网{PAYLOAD}"
        order = self._contract()
        disposal = (
            self.env["wisdom.receivable.disposal"]
            .with_user(self.rep_a1)
            .create({"plan_line_id": self._lines(order, "prepayment").id, "kind": "dunning", "reason": PAYLOAD})
        )
        html = self._report_html("wisdom_fulfillment.report_dunning_letter", disposal)
        self.assertEscaped(html)
        self.assertGreaterEqual(html.decode().count(ESCAPED), 2)  # customer name and reason

    def test_review_findings(self):
        rule = (
            self.env["wisdom.review.rule"]
            .with_user(self.contract_admin)
            .create({"name": f"底价{PAYLOAD}", "check_type": "price_floor", "role": "director"})
        )
        self.product.product_tmpl_id.sudo().write({"name": f"电表{PAYLOAD}", "wisdom_floor_price": 90.0})
        order = self._contract(confirm=False, price=50.0)
        findings = order.with_user(self.rep_a1).wisdom_review_findings()
        self.assertIn((rule.id, "approval"), [(f["rule_id"], f["result"]) for f in findings])
        self.assertEscaped(order.with_user(self.rep_a1).review_preview_html)

    def test_duplicate_warning(self):
        self.customer_a1.sudo().name = f"华北电网{PAYLOAD}"
        new = (
            self.env["res.partner"]
            .with_user(self.rep_a2)
            .new({"name": f"华北电网{PAYLOAD}", "is_company": True, "wisdom_customer": True})
        )
        self.assertTrue(new.wisdom_duplicate_warning)
        self.assertEscaped(new.wisdom_duplicate_warning)

    def test_chatter_notes_and_demand_reasons(self):
        customer = self.customer_a1.with_user(self.rep_a1)
        message = customer.message_post(body=PAYLOAD, message_type="comment", subtype_xmlid="mail.mt_note")
        self.assertEscaped(message.body)
        # a note typed in the web client's HTML editor arrives as HTML: the sanitizer strips it
        html_note = (
            self.env["mail.message"]
            .with_user(self.rep_a1)
            .create({"model": "res.partner", "res_id": customer.id, "body": PAYLOAD, "message_type": "comment"})
        )
        self.assertEscaped(html_note.body, expect_text=False)
        demand = (
            self.env["wisdom.contract.demand"]
            .with_user(self.rep_a1)
            .create(
                {
                    "partner_id": customer.id,
                    "description": PAYLOAD,
                    "line_ids": [Command.create({"name": PAYLOAD, "quantity": 1})],
                }
            )
        )
        demand.action_submit()
        demand.with_user(self.product_manager).write({"reason": PAYLOAD})
        demand.with_user(self.product_manager).action_reject()
        bodies = demand.message_ids.mapped("body")
        self.assertTrue(any(ESCAPED in str(body) for body in bodies))
        for body in bodies:
            self.assertEscaped(body, expect_text=False)
