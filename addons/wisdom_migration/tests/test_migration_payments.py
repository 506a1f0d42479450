from unittest.mock import patch

from odoo.tests import TransactionCase

from odoo.addons.account.models.account_move import AccountMove


class TestMigratedPaymentsPostedTogether(TransactionCase):
    """A migration batch links the journal entries of its collections without Odoo's per-payment
    write: the result must be exactly what standard Odoo posts, for fewer look-ups."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "迁移回款测试客户", "is_company": True})

    def _payments(self, env, count):
        payments = env["account.payment"].create(
            [
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": 1000.0 + index,
                    "date": f"2024-0{index + 1}-15",
                    "memo": f"HIST-{index}",
                }
                for index in range(count)
            ]
        )
        payments.action_post()
        return payments

    def _entries(self, payments):
        return [
            (
                payment.state,
                payment.move_id.state,
                payment.move_id.origin_payment_id == payment,
                payment.move_id.date,
                payment.move_id.ref,
                sorted(
                    (line.account_id.id, line.partner_id.id, line.debit, line.credit)
                    for line in payment.move_id.line_ids
                ),
            )
            for payment in payments
        ]

    def _posted_with_lookups(self, env, count):
        search = AccountMove._search_reconciled_payment_ids
        calls = []  # how many payments each look-up was for

        def counting(move_model, operator, value):
            calls.append(len(value))
            return search(move_model, operator, value)

        with patch.object(AccountMove, "_search_reconciled_payment_ids", counting):
            payments = self._payments(env, count)
        return payments, calls

    def test_same_entries_as_standard_odoo_looked_up_per_batch(self):
        standard, standard_lookups = self._posted_with_lookups(self.env, 4)
        migrated, migrated_lookups = self._posted_with_lookups(self.env(context={"wisdom_migration": True}), 4)

        self.assertEqual(self._entries(migrated), self._entries(standard))
        self.assertTrue(all(payment.move_id.name and payment.move_id.name != "/" for payment in migrated))
        self.assertEqual(len(set(migrated.move_id.mapped("name"))), 4)
        # Standard Odoo looks up the reconciled invoices of each payment on its own, twice; the
        # migration batch looks them up for the four payments together
        self.assertGreaterEqual(standard_lookups.count(1), 8)
        self.assertTrue(migrated_lookups)
        self.assertEqual(set(migrated_lookups), {4})
