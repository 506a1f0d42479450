from unittest.mock import patch

from odoo import Command
from odoo.tests import TransactionCase

from odoo.addons.account.models.sequence_mixin import SequenceMixin
from odoo.addons.wisdom_migration.models.account_move import SEQUENCE_FORMATS

# historical dates out of order, over a year end, several per month
DATES = [
    "2023-12-05",
    "2024-01-20",
    "2023-11-30",
    "2024-01-02",
    "2023-12-28",
    "2024-02-10",
    "2023-12-05",
    "2024-01-20",
] * 3
# payments, invoices and refunds of 2023 and 2024
PERIODS = 6


class TestMigrationNumbering(TransactionCase):
    """A migration run remembers the number format of each journal period instead of looking it up for
    every entry: the entries must get exactly the names standard Odoo gives them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "迁移编号测试客户", "is_company": True})

    def _post_history(self, env):
        payments = env["account.payment"].create(
            [
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": 100.0 + index,
                    "date": date,
                    "memo": f"HIST-P{index}",
                }
                for index, date in enumerate(DATES)
            ]
        )
        payments.action_post()
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_refund" if index % 3 == 2 else "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": date,
                    "date": date,
                    "invoice_line_ids": [
                        Command.create({"name": "历史开票", "quantity": 1, "price_unit": 50.0 + index})
                    ],
                }
                for index, date in enumerate(reversed(DATES))
            ]
        )
        moves.action_post()
        return payments.move_id.mapped("name") + moves.mapped("name")

    def _names_and_lookups(self, env):
        """The names the history gets, rolled back afterwards (with Odoo's numbering cache of the
        transaction), and how many times the last number of a period was looked up."""
        lookups = []
        last_sequence = SequenceMixin._get_last_sequence

        def counting(record, *args, **kwargs):
            lookups.append(record.id)
            return last_sequence(record, *args, **kwargs)

        with patch.object(SequenceMixin, "_get_last_sequence", counting), self.env.cr.savepoint() as savepoint:
            names = self._post_history(env)
            savepoint.rollback()
        self.env.invalidate_all()
        for key in ("sequence.mixin", SEQUENCE_FORMATS):
            self.env.cr.precommit.data.pop(key, None)
        return names, len(lookups)

    def test_same_names_as_standard_odoo_with_fewer_lookups(self):
        standard, standard_lookups = self._names_and_lookups(self.env)
        migrated, migrated_lookups = self._names_and_lookups(self.env(context={"wisdom_migration": True}))

        self.assertEqual(migrated, standard)
        self.assertEqual(len(set(migrated)), len(DATES) * 2, "every entry has its own number")
        self.assertTrue(any("2023" in name for name in migrated) and any("2024" in name for name in migrated))
        # standard Odoo reads the last number for each of the 48 entries; the run only for the first
        # entry of each period (twice when the period has no number yet)
        self.assertGreaterEqual(standard_lookups, len(DATES) * 2)
        self.assertLessEqual(migrated_lookups, PERIODS * 2)

    def test_a_name_written_by_hand_is_not_skipped(self):
        """Odoo forgets its numbering cache when someone writes an entry's number: the run looks the
        format up again and the next entry continues after the number written."""
        env = self.env(context={"wisdom_migration": True})
        first = env["account.payment"].create(
            {"payment_type": "inbound", "partner_type": "customer", "partner_id": self.customer.id, "amount": 10.0}
        )
        first.action_post()
        prefix, __, number = first.move_id.name.rpartition("/")
        first.move_id.button_draft()
        first.move_id.name = f"{prefix}/{int(number) + 40:0{len(number)}d}"
        first.move_id.action_post()
        second = env["account.payment"].create(
            {"payment_type": "inbound", "partner_type": "customer", "partner_id": self.customer.id, "amount": 20.0}
        )
        second.action_post()
        self.assertEqual(second.move_id.name, f"{prefix}/{int(number) + 41:0{len(number)}d}")
