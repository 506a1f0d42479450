import threading
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

import odoo
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import BaseCase, new_test_user, tagged

from ..models import res_partner_reclaim as reclaim_module
from .common import WisdomRolesCase

# Later than the records the fixtures create, so that only what a test does counts as follow-up.
START = datetime.now().replace(microsecond=0) + timedelta(days=1)


class PoolCase(WisdomRolesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason = cls.env.ref("wisdom_crm_base.release_reason_no_demand")
        cls.pool_a = cls.env["wisdom.customer.pool"].create(
            {
                "name": "Pool A",
                "member_team_ids": [Command.link(cls.team_a.id)],
                "daily_claim_limit": 2,
                "max_private_customers": 0,
                "cooling_days": 30,
                "rule_ids": [
                    Command.create({"no_followup_days": 30, "no_deal_days": 0, "warning_days": 7}),
                    Command.create({"grade": "A", "exempt": True}),
                    Command.create({"grade": "D", "no_followup_days": 10, "no_deal_days": 0, "warning_days": 0}),
                ],
            }
        )
        cls.pool_b = cls.env["wisdom.customer.pool"].create(
            {
                "name": "Pool B",
                "member_team_ids": [Command.link(cls.team_b.id)],
            }
        )
        cls.pooled = cls.env["res.partner"].create(
            [
                {
                    "name": f"公海客户{i}",
                    "is_company": True,
                    "wisdom_customer": True,
                    "user_id": False,
                    "pool_state": "pool",
                    "pool_id": cls.pool_a.id,
                }
                for i in range(4)
            ]
        )
        cls.pooled_b = cls.env["res.partner"].create(
            {
                "name": "B池客户",
                "is_company": True,
                "wisdom_customer": True,
                "user_id": False,
                "pool_state": "pool",
                "pool_id": cls.pool_b.id,
            }
        )
        (cls.customer_a1 | cls.customer_a2).write({"pool_id": cls.pool_a.id, "owner_since": START})

    def _logs(self, partner, action=None):
        domain = [("partner_id", "=", partner.id)] + ([("action", "=", action)] if action else [])
        return self.env["wisdom.pool.log"].search(domain)


@tagged("post_install", "-at_install")
class TestPoolClaimRelease(PoolCase):
    def test_rep_sees_pool_customers_of_own_pools_only(self):
        Partner = self.env["res.partner"].with_user(self.rep_a1)
        visible = Partner.search([("pool_state", "=", "pool")])
        self.assertEqual(visible & (self.pooled | self.pooled_b), self.pooled)
        self.assertFalse(Partner.search([("id", "=", self.customer_a2.id)]), "another rep's private customer")

    def test_rep_cannot_edit_a_pool_customer_before_claiming(self):
        customer = self.pooled[0].with_user(self.rep_a1)
        with self.assertRaises(AccessError):
            customer.write({"phone": "0731-1234567"})
        customer.action_claim()
        customer.write({"phone": "0731-1234567"})
        self.assertEqual(customer.user_id, self.rep_a1)
        self.assertEqual(customer.pool_state, "private")
        log = self._logs(customer, "claim")
        self.assertEqual((log.user_id, log.to_user_id, log.pool_id), (self.rep_a1, self.rep_a1, self.pool_a))

    def test_claimer_sees_earlier_history(self):
        self.pooled[0].message_post(body="上一任销售：客户明年有招标计划", message_type="comment")
        self.pooled[0].with_user(self.rep_a1).action_claim()
        bodies = self.pooled[0].with_user(self.rep_a1).message_ids.mapped("body")
        self.assertTrue(any("明年有招标计划" in str(body) for body in bodies))

    def test_claim_refusals(self):
        with self.assertRaisesRegex(UserError, "not a member"):
            self.pooled_b.with_user(self.director).action_claim()
        self.pooled[0].with_user(self.rep_a1).action_claim()
        with self.assertRaisesRegex(UserError, "already claimed"):
            self.pooled[0].with_user(self.rep_a2).action_claim()

    def test_daily_limit(self):
        with freeze_time(START):
            self.pooled[0].with_user(self.rep_a1).action_claim()
            self.pooled[1].with_user(self.rep_a1).action_claim()
            with self.assertRaisesRegex(UserError, "today's limit of 2"):
                self.pooled[2].with_user(self.rep_a1).action_claim()
            self.pooled[2].with_user(self.rep_a2).action_claim()
        with freeze_time(START + timedelta(days=1)):
            self.pooled[3].with_user(self.rep_a1).action_claim()

    def test_holding_limit_and_deals(self):
        self.pool_a.max_private_customers = 1  # rep_a1 already holds customer_a1
        with self.assertRaisesRegex(UserError, "already hold 1"):
            self.pooled[0].with_user(self.rep_a1).action_claim()
        self.orders[self.rep_a1].action_confirm()  # customers with a deal do not count
        self.pooled[0].with_user(self.rep_a1).action_claim()
        self.pool_a.count_dealt_customers = True
        with self.assertRaisesRegex(UserError, "already hold 1"):
            self.pooled[1].with_user(self.rep_a2).action_claim() or self.pooled[2].with_user(self.rep_a1).action_claim()

    def test_release_needs_reason_and_cooling_applies(self):
        customer = self.customer_a1.with_user(self.rep_a1)
        with self.assertRaisesRegex(UserError, "reason"):
            customer.action_release("  ")
        with freeze_time(START):
            customer.action_release("客户暂无需求", reason_id=self.reason.id)
        self.assertEqual((customer.pool_state, customer.user_id.id), ("pool", False))
        log = self._logs(customer, "release")
        self.assertEqual((log.from_user_id, log.reason_id, log.note), (self.rep_a1, self.reason, "客户暂无需求"))
        with freeze_time(START + timedelta(days=29)), self.assertRaisesRegex(UserError, "claim it again from"):
            customer.action_claim()
        with freeze_time(START + timedelta(days=29)):
            self.customer_a1.with_user(self.rep_a2).action_claim()  # others need not wait

    def test_only_owner_or_manager_releases(self):
        with self.assertRaisesRegex(UserError, "Only the owner"):
            self.customer_a2.with_user(self.rep_a1).action_release("not mine")
        self.customer_a2.with_user(self.manager_a).action_release("区域调整")
        self.assertEqual(self.customer_a2.pool_state, "pool")

    def test_release_wizard(self):
        wizard = (
            self.env["wisdom.pool.release.wizard"]
            .with_user(self.rep_a1)
            .create(
                {
                    "partner_ids": [Command.set(self.customer_a1.ids)],
                    "reason_id": self.reason.id,
                }
            )
        )
        wizard.action_release()
        self.assertEqual(self._logs(self.customer_a1, "release").reason_id, self.reason)


@tagged("post_install", "-at_install")
class TestPoolAccess(PoolCase):
    def test_pool_configuration_by_role(self):
        Pool = self.env["wisdom.customer.pool"]
        for user in (self.rep_a1, self.manager_a, self.finance, self.contract_admin):
            with self.subTest(user=user.login):
                self.assertTrue(Pool.with_user(user).search([("id", "=", self.pool_a.id)]))
                with self.assertRaises(AccessError):
                    Pool.with_user(user).create({"name": "X"})
        pool = Pool.with_user(self.director).create({"name": "总监新建公海池"})
        pool.with_user(self.director).rule_ids = [Command.create({"no_followup_days": 20})]
        with self.assertRaises(AccessError):
            Pool.with_user(self.product_manager).search([])

    def test_pool_history_by_role(self):
        self.pooled[0].with_user(self.rep_a1).action_claim()
        self.pooled[1].with_user(self.rep_a2).action_claim()
        self.pooled_b.with_user(self.rep_b1).action_claim()
        Log = self.env["wisdom.pool.log"]
        all_partners = self.pooled | self.pooled_b
        seen = {
            user: Log.with_user(user).search([("partner_id", "in", all_partners.ids)]).partner_id
            for user in (self.rep_a1, self.manager_a, self.manager_b, self.director)
        }
        self.assertEqual(seen[self.rep_a1], self.pooled[0])
        self.assertEqual(seen[self.manager_a], self.pooled[:2])
        self.assertEqual(seen[self.manager_b], self.pooled_b)
        self.assertEqual(seen[self.director], self.pooled[:2] | self.pooled_b)
        with self.assertRaises(AccessError):
            Log.with_user(self.director).create({"partner_id": self.pooled[0].id, "action": "claim"})


@tagged("post_install", "-at_install")
class TestPoolAssignment(PoolCase):
    def test_manager_assigns_within_own_teams(self):
        self.pooled.with_user(self.manager_a).action_assign(self.rep_a2.id, reason="新人带客户")
        self.assertEqual(set(self.pooled.mapped("user_id")), {self.rep_a2})
        self.assertEqual(len(self.env["wisdom.pool.log"].search([("partner_id", "in", self.pooled.ids)])), 4)
        with self.assertRaisesRegex(UserError, "not in a sales team you lead"):
            self.pooled.with_user(self.manager_a).action_assign(self.rep_b1.id)
        self.pooled.with_user(self.director).action_assign(self.rep_b1.id, pool_id=self.pool_b.id)
        self.assertEqual(set(self.pooled.mapped("pool_id")), {self.pool_b})

    def test_reps_cannot_assign(self):
        with self.assertRaisesRegex(UserError, "managers"):
            self.pooled.with_user(self.rep_a1).action_assign(self.rep_a1.id)

    def test_transfer_carries_open_leads_and_activities(self):
        lead = self.leads[self.rep_a1]
        activity = self.customer_a1.activity_schedule("mail.mail_activity_data_todo", user_id=self.rep_a1.id)
        wizard = (
            self.env["wisdom.pool.assign.wizard"]
            .with_user(self.manager_a)
            .create(
                {
                    "partner_ids": [Command.set(self.customer_a1.ids)],
                    "user_id": self.rep_a2.id,
                    "reason": "离职交接",
                }
            )
        )
        wizard.action_assign()
        self.assertEqual(self.customer_a1.user_id, self.rep_a2)
        self.assertEqual(lead.user_id, self.rep_a2)
        self.assertEqual(activity.user_id, self.rep_a2)
        log = self._logs(self.customer_a1, "assign")
        self.assertEqual((log.from_user_id, log.to_user_id, log.note), (self.rep_a1, self.rep_a2, "离职交接"))

    def test_batch_assignment(self):
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"批量客户{i:03d}",
                    "is_company": True,
                    "wisdom_customer": True,
                    "user_id": self.rep_a1.id,
                    "pool_id": self.pool_a.id,
                }
                for i in range(200)
            ]
        )
        customers.with_user(self.manager_a).action_assign(self.rep_a2.id, reason="批量调整")
        self.assertEqual(customers.mapped("user_id"), self.rep_a2)
        self.assertEqual(self.env["wisdom.pool.log"].search_count([("partner_id", "in", customers.ids)]), 200)


@tagged("post_install", "-at_install")
class TestPoolReclaim(PoolCase):
    def _run_cron(self, when):
        with freeze_time(when):
            self.env["res.partner"]._cron_reclaim_customers()
        self.env.invalidate_all()

    def test_no_followup_reclaims_after_warning(self):
        self._run_cron(START + timedelta(days=22))
        self.assertFalse(self.customer_a1.activity_ids)
        self._run_cron(START + timedelta(days=23, hours=1))
        warning = self.customer_a1.activity_ids
        self.assertEqual(warning.user_id, self.rep_a1)
        self.assertEqual(warning.activity_type_id, self.env.ref("wisdom_crm_base.mail_activity_type_pool_reclaim"))
        self._run_cron(START + timedelta(days=24))
        self.assertEqual(len(self.customer_a1.activity_ids), 1, "no second warning")
        self._run_cron(START + timedelta(days=30, hours=1))
        self.assertEqual((self.customer_a1.pool_state, self.customer_a1.user_id.id), ("pool", False))
        self.assertEqual(self.customer_a1.previous_owner_id, self.rep_a1)
        log = self._logs(self.customer_a1, "reclaim")
        self.assertEqual((log.from_user_id, log.reclaim_reason), (self.rep_a1, "no_followup"))

    def test_a_run_out_of_time_leaves_the_rest_to_the_next_run(self):
        """Batches are committed one by one; when the scheduler's time is up the run stops, and the
        next run plans again and does only what is left."""
        pool_a_customers = self.customer_a1 | self.customer_a2
        Partner = type(self.env["res.partner"])
        with (
            patch.object(reclaim_module, "RECLAIM_BATCH", 1),
            patch.object(Partner, "_wisdom_commit_progress", return_value=0.0) as progress,
        ):
            self._run_cron(START + timedelta(days=31))
        self.assertEqual(progress.call_count, 2, "the plan, then one batch: no time left")
        self.assertEqual(sorted(pool_a_customers.mapped("pool_state")), ["pool", "private"])
        with patch.object(reclaim_module, "RECLAIM_BATCH", 1):
            self._run_cron(START + timedelta(days=31))
        self.assertEqual(pool_a_customers.mapped("pool_state"), ["pool", "pool"])
        self.assertEqual(
            self.env["wisdom.pool.log"].search_count(
                [("partner_id", "in", pool_a_customers.ids), ("action", "=", "reclaim")]
            ),
            2,
            "each customer reclaimed once",
        )

    def test_followup_by_owner_resets_the_clock(self):
        with freeze_time(START + timedelta(days=20)):
            self.customer_a1.with_user(self.rep_a1).message_post(body="电话回访，客户在比价", message_type="comment")
        self._run_cron(START + timedelta(days=31))
        self.assertEqual(self.customer_a1.pool_state, "private")
        self._run_cron(START + timedelta(days=51))
        self.assertEqual(self.customer_a1.pool_state, "pool")

    def test_grade_rules_and_protection(self):
        self.customer_a1.customer_grade = "A"
        self.customer_a2.pool_protected = True
        self._run_cron(START + timedelta(days=100))
        self.assertEqual((self.customer_a1 | self.customer_a2).mapped("pool_state"), ["private", "private"])
        self.customer_a1.customer_grade = "D"
        self._run_cron(START + timedelta(days=11))
        self.assertEqual(self.customer_a1.pool_state, "pool")

    def test_no_deal_rule(self):
        self.pool_a.rule_ids.filtered(lambda r: not r.grade).write({"no_followup_days": 0, "no_deal_days": 60})
        self.orders[self.rep_a2].with_context(mail_notrack=True).write({"date_order": START + timedelta(days=40)})
        self.orders[self.rep_a2].action_confirm()
        self.orders[self.rep_a2].date_order = START + timedelta(days=40)
        self._run_cron(START + timedelta(days=61))
        self.assertEqual(self.customer_a1.pool_state, "pool")
        self.assertEqual(self.customer_a2.pool_state, "private")

    def test_preview_lists_coming_reclaims(self):
        with freeze_time(START + timedelta(days=25)):
            preview = self.env["wisdom.pool.reclaim.preview"].with_user(self.manager_a).create({"days": 7})
        self.assertEqual(preview.line_ids.partner_id, self.customer_a1 | self.customer_a2)
        self.assertEqual(set(preview.line_ids.mapped("reason")), {"No follow-up"})
        with freeze_time(START + timedelta(days=25)):
            preview = self.env["wisdom.pool.reclaim.preview"].with_user(self.manager_b).create({"days": 7})
        self.assertFalse(preview.line_ids, "a manager previews the customers of the teams they lead")


@tagged("post_install", "-at_install")
class TestConcurrentClaims(BaseCase):
    """20 reps claim the same customer at once, each in its own database transaction."""

    THREADS = 20

    def setUp(self):
        super().setUp()
        self.registry = odoo.modules.registry.Registry(odoo.tests.get_db_name())
        with self._cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            team = env["crm.team"].create({"name": "并发测试团队"})
            reps = env["res.users"]
            for i in range(self.THREADS):
                reps |= new_test_user(env, login=f"race_rep_{i}", groups="wisdom_crm_base.group_wisdom_rep")
            team.member_ids = reps
            pool = env["wisdom.customer.pool"].create(
                {
                    "name": "并发测试池",
                    "member_team_ids": [Command.link(team.id)],
                    "daily_claim_limit": 0,
                    "max_private_customers": 0,
                }
            )
            customer = env["res.partner"].create(
                {
                    "name": "抢单测试客户有限公司",
                    "is_company": True,
                    "wisdom_customer": True,
                    "user_id": False,
                    "pool_state": "pool",
                    "pool_id": pool.id,
                }
            )
            self.ids = {"team": team.id, "reps": reps.ids, "pool": pool.id, "customer": customer.id}
        self.addCleanup(self._cleanup)

    def _cursor(self):
        return odoo.sql_db.db_connect(self.registry.db_name).cursor()

    def _cleanup(self):
        with self._cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["wisdom.pool.log"].search([("partner_id", "=", self.ids["customer"])]).unlink()
            env["res.partner"].browse(self.ids["customer"]).unlink()
            env["wisdom.customer.pool"].browse(self.ids["pool"]).unlink()
            env["crm.team"].browse(self.ids["team"]).unlink()
            users = env["res.users"].browse(self.ids["reps"])
            partners = users.partner_id
            users.unlink()
            partners.unlink()

    def test_exactly_one_claim_wins(self):
        barrier = threading.Barrier(self.THREADS)
        results = {}

        def claim(uid):
            with self._cursor() as cr:
                env = odoo.api.Environment(cr, uid, {})
                barrier.wait(timeout=30)
                try:
                    env["res.partner"].browse(self.ids["customer"]).action_claim()
                    # its own cursor: the race needs real, separately committed transactions
                    cr.commit()  # pylint: disable=invalid-commit
                    results[uid] = "won"
                except UserError as refusal:
                    cr.rollback()
                    results[uid] = str(refusal)

        threads = [threading.Thread(target=claim, args=(uid,)) for uid in self.ids["reps"]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        winners = [uid for uid, result in results.items() if result == "won"]
        self.assertEqual(len(results), self.THREADS)
        self.assertEqual(len(winners), 1, results)
        refusals = [result for result in results.values() if result != "won"]
        self.assertEqual(len(refusals), self.THREADS - 1)
        self.assertTrue(all("right now" in r or "already claimed" in r for r in refusals), refusals)
        with self._cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            customer = env["res.partner"].browse(self.ids["customer"])
            self.assertEqual(customer.user_id.id, winners[0])
            self.assertEqual(env["wisdom.pool.log"].search_count([("partner_id", "=", customer.id)]), 1)
