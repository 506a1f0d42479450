from datetime import date

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import FulfilmentCase


@tagged("post_install", "-at_install")
class TestCollections(FulfilmentCase):
    def test_fifo_suggestion_then_confirmation(self):
        first = self._contract(terms=[("prepayment", 100, 0)], signed_date=date(2026, 3, 1))
        second = self._contract(terms=[("prepayment", 50, 0), ("delivery", 50, 0)], signed_date=date(2026, 2, 1))
        payment = self._payment(first, 1200)
        payment.with_user(self.finance).action_wisdom_suggest_allocation()
        allocations = payment.wisdom_allocation_ids
        self.assertEqual(
            [(a.plan_line_id.order_id, a.amount) for a in allocations],
            [(second, 500.0), (first, 700.0)],
            "oldest due first; the pending delivery line last",
        )
        self.assertEqual(payment.wisdom_collection_state, "to_confirm")
        payment.with_user(self.finance).action_wisdom_confirm_allocation()
        self.assertEqual(payment.wisdom_collection_state, "done")
        self.assertEqual(first.collected_amount, 700.0)
        self.assertEqual(first.plan_line_ids.paid_amount, 700.0)
        self.assertEqual(first.plan_line_ids.state, "overdue", "due in March, still 300 open")
        self.assertEqual(second.collected_percent, 50.0)
        with self.assertRaises(UserError):
            allocations[0].amount = 1

    def test_manual_allocation_and_limits(self):
        order = self._contract(terms=[("prepayment", 40, 0), ("custom", 60, 30)])
        prepayment, custom = self._lines(order)
        payment = self._payment(order, 500)
        payment.with_user(self.finance).write(
            {
                "wisdom_allocation_ids": [
                    Command.create({"plan_line_id": custom.id, "amount": 450}),
                ]
            }
        )
        payment.with_user(self.finance).action_wisdom_confirm_allocation()
        self.assertEqual(custom.paid_amount, 450.0)
        self.assertEqual(prepayment.paid_amount, 0.0)
        payment.with_user(self.finance).write(
            {
                "wisdom_allocation_ids": [
                    Command.create({"plan_line_id": prepayment.id, "amount": 60}),
                ]
            }
        )
        with self.assertRaisesRegex(UserError, "more than the payment"):
            payment.with_user(self.finance).action_wisdom_confirm_allocation()
        second = self._payment(order, 1000)
        second.with_user(self.finance).write(
            {
                "wisdom_allocation_ids": [
                    Command.create({"plan_line_id": prepayment.id, "amount": 400.01}),
                ]
            }
        )
        with self.assertRaises(UserError):
            second.with_user(self.finance).action_wisdom_confirm_allocation()
        with self.assertRaises(UserError):
            second.with_user(self.finance).write(
                {"wisdom_allocation_ids": [Command.create({"plan_line_id": prepayment.id, "amount": -1})]}
            )
            self.env.flush_all()

    def test_rep_gets_confirmation_activity_and_confirms(self):
        order = self._contract(terms=[("prepayment", 100, 0)])
        payment = self._payment(order, 300)
        activity = payment.activity_ids
        self.assertEqual(activity.user_id, self.rep_a1)
        self.assertEqual(activity.activity_type_id, self.env.ref("wisdom_fulfillment.mail_activity_collection_confirm"))
        as_rep = payment.with_user(self.rep_a1)
        as_rep.action_wisdom_suggest_allocation()
        as_rep.action_wisdom_confirm_allocation()
        self.assertEqual(order.collected_amount, 300.0)
        self.assertFalse(payment.activity_ids, "confirmation closes the activity")
        self.assertEqual(payment.wisdom_allocation_ids.confirmed_by_id, self.rep_a1)

    def test_confirmation_mail_waits_in_the_queue(self):
        """The rep's "assigned to you" e-mail is queued and the queue's run triggered: the cashier's save
        does not send it (Odoo would send it right after the commit, within the save's request)."""
        cron = self.env.ref("mail.ir_cron_mail_scheduler_action")
        triggers_before = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        order = self._contract(terms=[("prepayment", 100, 0)])
        payment = self._payment(order, 300)
        mails = self.env["mail.mail"].search(
            [("model", "=", "account.payment"), ("res_id", "=", payment.id), ("state", "=", "outgoing")]
        )
        self.assertEqual(mails.recipient_ids, self.rep_a1.partner_id, "the rep's assignment e-mail, not sent yet")
        self.assertGreater(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers_before)

    def test_other_reps_cannot_see_the_payment(self):
        order = self._contract(terms=[("prepayment", 100, 0)])
        payment = self._payment(order, 300)
        self.assertFalse(self.env["account.payment"].with_user(self.rep_b1).search([("id", "=", payment.id)]))
        self.assertTrue(self.env["account.payment"].with_user(self.rep_a1).search([("id", "=", payment.id)]))

    def test_allocations_are_posted_only_by_confirmation(self):
        order = self._contract(terms=[("prepayment", 100, 0)])
        payment = self._payment(order, 300)
        payment.with_user(self.rep_a1).action_wisdom_suggest_allocation()
        allocation = payment.wisdom_allocation_ids
        with self.assertRaises(UserError):
            allocation.with_user(self.rep_a1).write({"state": "posted"})
        forged = (
            self.env["wisdom.collection.allocation"]
            .with_user(self.rep_a1)
            .create({"payment_id": payment.id, "plan_line_id": order.plan_line_ids.id, "amount": 1, "state": "posted"})
        )
        self.assertEqual(forged.state, "draft")
        self.assertEqual(order.collected_amount, 0.0)
