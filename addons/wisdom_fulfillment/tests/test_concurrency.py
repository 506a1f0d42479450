import threading
import uuid
from datetime import date

import odoo
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.service.model import retrying
from odoo.tests import BaseCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestConcurrentCollections(BaseCase):
    """Two finance users confirm payments onto the same instalment at once, each in its own committed
    transaction: the instalment is never over-allocated."""

    def setUp(self):
        super().setUp()
        self.registry = odoo.modules.registry.Registry(odoo.tests.get_db_name())
        with self._cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            rules = env["wisdom.review.rule"].search([]) if "wisdom.review.rule" in env else None
            if rules:
                rules.action_archive()
            self.archived_rule_ids = rules.ids if rules else []
            users = env["res.users"]
            for i in range(2):
                login = f"race_finance_{i}_{uuid.uuid4().hex[:8]}"
                users |= new_test_user(env, login=login, groups="wisdom_crm_base.group_wisdom_finance")
            customer = env["res.partner"].create(
                {"name": f"并发回款测试客户{uuid.uuid4().hex[:8]}", "is_company": True, "wisdom_customer": True}
            )
            product = env["product.product"].create({"name": "并发测试电表", "taxes_id": [Command.clear()]})
            order = env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "signed_date": date(2026, 3, 2),
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": 1,
                                "price_unit": 1000,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                    "payment_term_line_ids": [Command.create({"kind": "prepayment", "percent": 100})],
                }
            )
            order.with_context(tracking_disable=True).action_confirm()
            line = order.plan_line_ids
            payments = env["account.payment"]
            for _user in users:
                payment = env["account.payment"].create(
                    {
                        "payment_type": "inbound",
                        "partner_type": "customer",
                        "partner_id": customer.id,
                        "amount": 600,
                        "date": date(2026, 3, 5),
                    }
                )
                payment.action_post()
                payment.wisdom_allocation_ids = [Command.create({"plan_line_id": line.id, "amount": 600})]
                payments |= payment
            self.ids = {
                "users": users.ids,
                "customer": customer.id,
                "product": product.id,
                "order": order.id,
                "line": line.id,
                "payments": payments.ids,
            }
        self.addCleanup(self._cleanup)

    def _cursor(self):
        return odoo.sql_db.db_connect(self.registry.db_name).cursor()

    def _cleanup(self):
        with self._cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            payments = env["account.payment"].browse(self.ids["payments"])
            payments.wisdom_allocation_ids.with_context(wisdom_allow_unpost=True).unlink()
            payments.action_draft()
            payments.move_id.with_context(force_delete=True).unlink()
            payments.exists().unlink()
            order = env["sale.order"].browse(self.ids["order"])
            order._action_cancel()
            order.unlink()
            env["product.product"].browse(self.ids["product"]).product_tmpl_id.unlink()
            env["mail.activity"].search([("user_id", "in", self.ids["users"])]).unlink()
            users = env["res.users"].browse(self.ids["users"])
            partners = users.partner_id
            users.unlink()
            partners.unlink()
            env["res.partner"].browse(self.ids["customer"]).unlink()
            if self.archived_rule_ids:
                env["wisdom.review.rule"].browse(self.archived_rule_ids).action_unarchive()

    def test_two_finance_users_never_over_allocate(self):
        barrier = threading.Barrier(2)
        results = {}

        def confirm(uid, payment_id):
            with self._cursor() as cr:
                env = odoo.api.Environment(cr, uid, {})
                barrier.wait(timeout=30)
                try:
                    # as the RPC layer does: the loser's serialization failure is retried with fresh data
                    retrying(env["account.payment"].browse(payment_id).action_wisdom_confirm_allocation, env)
                    # its own cursor: the race needs real, separately committed transactions
                    cr.commit()  # pylint: disable=invalid-commit
                    results[uid] = "confirmed"
                except UserError as refusal:
                    cr.rollback()
                    results[uid] = str(refusal)

        threads = [
            threading.Thread(target=confirm, args=args)
            for args in zip(self.ids["users"], self.ids["payments"], strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        self.assertEqual(len(results), 2, results)
        self.assertEqual(sorted(r == "confirmed" for r in results.values()), [False, True], results)
        # the retried loser is told why, with what the winner left open: 400 of 1,000 for its 600
        [refusal] = [r for r in results.values() if r != "confirmed"]
        self.assertIn("more than an instalment still has open", refusal)
        with self._cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            line = env["wisdom.collection.plan.line"].browse(self.ids["line"])
            self.assertEqual(line.paid_amount, 600.0)
            self.assertEqual(line.residual, 400.0)
            posted = env["wisdom.collection.allocation"].search(
                [("plan_line_id", "=", line.id), ("state", "=", "posted")]
            )
            self.assertEqual(len(posted), 1)
