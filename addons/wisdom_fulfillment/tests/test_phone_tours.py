from odoo.tests import HttpCase, tagged

from .common import FulfilmentCase


@tagged("post_install", "-at_install")
class TestCollectionOnPhone(FulfilmentCase, HttpCase):
    """Finance confirms a customer payment on a phone: the suggestion books it to the open
    instalment, the confirmation posts it."""

    browser_size = "390x844"
    touch_enabled = True

    def setUp(self):
        super().setUp()
        self.env["res.lang"]._activate_lang("zh_CN")
        self.finance.write(
            {"lang": "zh_CN", **({"odoobot_state": "disabled"} if "odoobot_state" in self.finance._fields else {})}
        )
        self.customer_a1.name = "手机回款客户"
        self.order = self._contract()  # 1,000: 30 % prepayment due ten days after signing, then delivery and retention
        self.payment = self._payment(self.order, 300)

    def test_finance_confirms_collection_on_phone(self):
        prepayment = self._lines(self.order, "prepayment")
        self.assertEqual((prepayment.paid_amount, self.payment.wisdom_collection_state), (0.0, "to_confirm"))
        self.start_tour(
            "/odoo/action-account.action_account_payments",
            "wisdom_collection_confirm_on_phone",
            login=self.finance.login,
        )
        self.env.invalidate_all()
        allocation = self.payment.wisdom_allocation_ids
        self.assertEqual(
            (allocation.plan_line_id, allocation.amount, allocation.state, allocation.confirmed_by_id),
            (prepayment, 300.0, "posted", self.finance),
        )
        self.assertEqual(self.payment.wisdom_collection_state, "done")
        self.assertEqual(prepayment.paid_amount, 300.0)
        self.assertEqual(self.order.collected_amount, 300.0)
