from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import FulfilmentCase


@tagged("post_install", "-at_install")
class TestDisposal(FulfilmentCase):
    def setUp(self):
        super().setUp()
        self.order = self._contract(terms=[("prepayment", 30, 0), ("delivery", 70, 0)])
        self.line = self._lines(self.order, "prepayment")  # 300 due 2026-03-02

    def _disposal(self, kind, amount=0.0, **values):
        return (
            self.env["wisdom.receivable.disposal"]
            .with_user(self.rep_a1)
            .create({"plan_line_id": self.line.id, "kind": kind, "amount": amount, "reason": "客户资金紧张", **values})
        )

    def _approve(self, disposal, *users):
        disposal.with_user(self.rep_a1).request_validation()
        for user in users:
            disposal.with_user(user).validate_tier()

    @freeze_time("2026-06-01")
    def test_write_off_needs_finance_approval_and_leaves_overdue(self):
        self.assertEqual(self.order.overdue_amount, 300.0)
        disposal = self._disposal("write_off", 100)
        with self.assertRaises(ValidationError):
            disposal.with_user(self.rep_a1).action_done()
        self._approve(disposal, self.finance)
        self.assertEqual(disposal.review_ids.reviewer_ids & self.finance, self.finance)
        disposal.with_user(self.finance).action_done()
        self.assertEqual(disposal.state, "done")
        self.assertEqual(self.line.disposed_amount, 100.0)
        self.assertEqual(self.line.residual, 200.0)
        self.order.invalidate_recordset()
        self.assertEqual(self.order.overdue_amount, 200.0)
        figures = self.order.partner_id._wisdom_customer_figures()[self.order.partner_id.id]
        self.assertEqual(figures["overdue_amount"], 200.0)

    @freeze_time("2026-06-01")
    def test_large_amount_needs_director_too(self):
        order = self._contract(price=50000.0, terms=[("prepayment", 100, 0)])
        disposal = (
            self.env["wisdom.receivable.disposal"]
            .with_user(self.rep_a1)
            .create({"plan_line_id": order.plan_line_ids.id, "kind": "legal", "amount": 200000, "reason": "起诉"})
        )
        disposal.with_user(self.rep_a1).request_validation()
        self.assertEqual(len(disposal.review_ids), 2)
        self.assertEqual(
            disposal.review_ids.sorted("sequence")[0].definition_id,
            self.env.ref("wisdom_fulfillment.tier_disposal_finance"),
            "finance reviews first",
        )
        disposal.with_user(self.finance).validate_tier()
        with self.assertRaises(ValidationError):
            disposal.with_user(self.finance).action_done()
        disposal.with_user(self.director).validate_tier()
        disposal.with_user(self.finance).action_done()
        self.assertEqual(order.plan_line_ids.residual, 300000.0)
        self.assertEqual(order.overdue_amount, 300000.0)

    @freeze_time("2026-06-01")
    def test_extension_moves_the_due_date(self):
        disposal = self._disposal("extension", new_due_date=date(2026, 7, 31))
        self._approve(disposal, self.finance)
        disposal.with_user(self.finance).action_done()
        self.assertEqual(self.line.due_date, date(2026, 7, 31))
        self.assertTrue(self.line.due_date_locked)
        self.order.invalidate_recordset()
        self.assertEqual(self.order.overdue_amount, 0.0)

    def test_amount_checks(self):
        disposal = self._disposal("offset", 300.01)
        self._approve(disposal, self.finance)
        with self.assertRaises(UserError):
            disposal.with_user(self.finance).action_done()
        extension = self._disposal("extension")
        self._approve(extension, self.finance)
        with self.assertRaises(UserError):
            extension.with_user(self.finance).action_done()

    @freeze_time("2026-06-01")
    def test_dunning_letter_names_the_debt(self):
        disposal = self._disposal("dunning")
        action = disposal.with_user(self.rep_a1).action_print_dunning()
        self.assertEqual(action["report_name"], "wisdom_fulfillment.report_dunning_letter")
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "wisdom_fulfillment.report_dunning_letter", disposal.ids
        )
        html = html.decode()
        self.assertIn(self.order.partner_id.name, html)
        self.assertIn(self.order.contract_no or self.order.name, html)
        self.assertIn("300.00", html)
        self.assertIn(f"<span>{disposal.line_overdue_days}</span>", html)
