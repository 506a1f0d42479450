import json
import xmlrpc.client
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .test_pool import START, PoolCase


@tagged("post_install", "-at_install")
class TestEveryCustomerInAPool(PoolCase):
    def test_teamless_rep_customer_joins_the_company_default_pool(self):
        loner = new_test_user(
            self.env, login="t_rep_no_team", groups="wisdom_crm_base.group_wisdom_rep", name="无团队销售"
        )
        customer = (
            self.env["res.partner"]
            .with_user(loner)
            .create(
                {
                    "name": "无团队客户有限公司",
                    "is_company": True,
                    "wisdom_customer": True,
                }
            )
        )
        default_pool = self.env.company.wisdom_default_pool_id
        self.assertTrue(default_pool.open_to_all_reps)
        self.assertEqual((customer.user_id, customer.pool_id), (loner, default_pool))
        customer.with_user(loner).action_release("客户暂无需求")
        self.assertEqual((customer.pool_state, customer.pool_id), ("pool", default_pool))
        # any rep may see and claim it: the default pool is open to every sales user
        self.assertIn(customer, self.env["res.partner"].with_user(self.rep_b1).search([("pool_state", "=", "pool")]))
        customer.with_user(self.rep_b1).action_claim()
        self.assertEqual(customer.user_id, self.rep_b1)

    def test_team_rep_customer_joins_the_team_pool(self):
        customer = (
            self.env["res.partner"]
            .with_user(self.rep_a1)
            .create(
                {
                    "name": "团队客户有限公司",
                    "is_company": True,
                    "wisdom_customer": True,
                }
            )
        )
        self.assertEqual(customer.pool_id, self.pool_a)

    def test_poolless_customers_are_placed_by_the_migration(self):
        customer = self.customer_b1
        self.env.cr.execute("UPDATE res_partner SET pool_id = NULL WHERE id = %s", [customer.id])
        customer.invalidate_recordset(["pool_id"])
        self.env["res.company"]._wisdom_install_default_pools()
        self.assertEqual(customer.pool_id, self.pool_b, "rep_b1's team has pool B")

    def test_default_pool_is_a_setting(self):
        admin = self.env.ref("base.user_admin")
        settings = self.env["res.config.settings"].with_user(admin).with_company(self.env.company).create({})
        self.assertEqual(settings.company_id, self.env.company)
        self.assertEqual(settings.wisdom_default_pool_id, self.env.company.wisdom_default_pool_id)
        settings.wisdom_default_pool_id = self.pool_b
        settings.execute()
        self.assertEqual(self.env.company.wisdom_default_pool_id, self.pool_b)
        loner = new_test_user(self.env, login="t_rep_no_team2", groups="wisdom_crm_base.group_wisdom_rep")
        customer = (
            self.env["res.partner"]
            .with_user(loner)
            .create(
                {
                    "name": "设置测试客户有限公司",
                    "is_company": True,
                    "wisdom_customer": True,
                }
            )
        )
        self.assertEqual(customer.pool_id, self.pool_b)


@tagged("post_install", "-at_install")
class TestOneReturnToPoolPath(PoolCase):
    """Release, automatic reclaim and a leaving rep's disposal leave the customer the same way."""

    def _owned_customer(self, rep, name):
        customer = self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "wisdom_customer": True,
                "user_id": rep.id,
                "pool_id": self.pool_a.id,
                "owner_since": START,
                "reclaim_warned_at": START,
            }
        )
        lead = self.env["crm.lead"].create(
            {
                "name": f"{name} 商机",
                "partner_id": customer.id,
                "user_id": rep.id,
                "type": "opportunity",
            }
        )
        todo = customer.activity_schedule("mail.mail_activity_data_todo", user_id=rep.id)
        lead_todo = lead.activity_schedule("mail.mail_activity_data_todo", user_id=rep.id)
        warning = customer.activity_schedule("wisdom_crm_base.mail_activity_type_pool_reclaim", user_id=rep.id)
        return customer, lead, todo | lead_todo, warning

    def _assert_in_pool(self, customer, lead, activities, warning, previous, action):
        self.env.invalidate_all()
        self.assertEqual(
            (customer.pool_state, customer.user_id.id, customer.previous_owner_id, customer.reclaim_warned_at),
            ("pool", False, previous, False),
        )
        self.assertTrue(customer.released_at)
        self.assertTrue(customer.pool_reason, "the pool list shows why the customer is there")
        self.assertEqual(bool(customer.reclaimed_at), action == "reclaim")
        log = self._logs(customer)
        self.assertEqual((log.action, log.from_user_id, log.pool_id), (action, previous, self.pool_a))
        self.assertFalse(lead.user_id, "the open opportunity waits in the pool with its customer")
        self.assertFalse(activities.user_id, "so do its activities")
        self.assertFalse(warning.exists(), "the reclaim warning has no object any more")

    def test_release_reclaim_and_disposal_give_the_same_result(self):
        leaving = new_test_user(self.env, login="t_rep_leaving", groups="wisdom_crm_base.group_wisdom_rep")
        self.team_a.member_ids = [Command.link(leaving.id)]
        released = self._owned_customer(self.rep_a1, "退回测试有限公司")
        reclaimed = self._owned_customer(self.rep_a2, "回收测试有限公司")
        disposed = self._owned_customer(leaving, "离职处置测试有限公司")
        (self.customer_a1 | self.customer_a2).pool_protected = True

        released[0].with_user(self.rep_a1).action_release("客户暂无需求")
        self._assert_in_pool(*released, self.rep_a1, "release")

        self.pool_a.rule_ids.filtered(lambda r: not r.grade).no_followup_days = 30
        released[0].pool_protected = disposed[0].pool_protected = True
        # the plan query reads follow-ups from writes: count from START
        self.env.cr.execute("UPDATE crm_lead SET write_date = %s WHERE id = %s", [START, reclaimed[1].id])
        with freeze_time(START + timedelta(days=31)):
            self.env["res.partner"]._cron_reclaim_customers()
        self._assert_in_pool(*reclaimed, self.rep_a2, "reclaim")
        self.assertEqual(self._logs(reclaimed[0]).reclaim_reason, "no_followup")

        disposed[0].pool_protected = False
        leaving.action_archive()
        self._assert_in_pool(*disposed, leaving, "dispose")

    def test_claim_takes_the_open_items_waiting_in_the_pool(self):
        customer, lead, activities, __ = self._owned_customer(self.rep_a1, "领取测试有限公司")
        customer.with_user(self.rep_a1).action_release("区域调整")
        customer.with_user(self.rep_a2).action_claim()
        self.assertEqual((customer.user_id, lead.user_id, activities.user_id), (self.rep_a2,) * 3)


@tagged("post_install", "-at_install")
class TestSetBasedMoves(PoolCase):
    def _queries(self, function):
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        function()
        self.env.flush_all()
        self.env.cr.precommit.run()  # chatter tracking is written before the commit
        return self.env.cr.sql_log_count - before

    def _customers(self, count, tag):
        return (
            self.env["res.partner"]
            .with_context(tracking_disable=False)
            .create(
                [
                    {
                        "name": f"集合测试{tag}{i:03d}有限公司",
                        "is_company": True,
                        "wisdom_customer": True,
                        "user_id": False,
                        "pool_state": "pool",
                        "pool_id": self.pool_a.id,
                    }
                    for i in range(count)
                ]
            )
        )

    def test_moves_cost_the_same_few_queries_for_10_or_100_customers(self):
        self.pool_a.write({"daily_claim_limit": 0, "cooling_days": 0})
        few, many = self._customers(10, "少"), self._customers(100, "多")
        for label, move in (
            ("claim", lambda c: c.with_user(self.rep_a1).action_claim()),
            ("assign", lambda c: c.with_user(self.manager_a).action_assign(self.rep_a2.id, reason="调整")),
            ("release", lambda c: c.with_user(self.manager_a).action_release("调整")),
        ):
            with self.subTest(move=label):
                small, large = self._queries(lambda m=move: m(few)), self._queries(lambda m=move: m(many))
                self.assertLessEqual(large, small + 10, f"{label}: {small} queries for 10, {large} for 100")
        self.assertEqual(len(self._logs(many[0])), 3)
        self.assertTrue(many[0].message_ids.tracking_value_ids, "the moves are tracked in the chatter")

    def test_moves_return_a_notification_rpc_can_carry(self):
        result = self.pooled[0].with_user(self.rep_a1).action_claim()
        self.assertEqual((result["type"], result["tag"]), ("ir.actions.client", "display_notification"))
        json.dumps(result)
        xmlrpc.client.dumps((result,), allow_none=False)

    def test_one_refusal_refuses_the_whole_batch(self):
        self.pooled[1].with_user(self.rep_a2).action_claim()
        with self.assertRaisesRegex(UserError, "already claimed"):
            self.pooled.with_user(self.rep_a1).action_claim()
        self.assertEqual(self.pooled[0].pool_state, "pool")
        with self.assertRaisesRegex(UserError, "today's limit of 2"):
            (self.pooled[0] | self.pooled[2] | self.pooled[3]).with_user(self.rep_a1).action_claim()


@tagged("post_install", "-at_install")
class TestPoolMovesOverRpc(HttpCase, PoolCase):
    def test_claim_and_release_over_xmlrpc(self):
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, self.rep_a1.login, self.rep_a1.login, {})
        call = self.xmlrpc_object.execute_kw
        result = call(db, uid, self.rep_a1.login, "res.partner", "action_claim", [self.pooled[:2].ids])
        self.assertEqual(result["tag"], "display_notification")
        result = call(db, uid, self.rep_a1.login, "res.partner", "action_release", [self.pooled[:2].ids, "暂无需求"])
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(self.pooled[:2].mapped("pool_state"), ["pool", "pool"])


@tagged("post_install", "-at_install")
class TestPoolMovesInTheOperationLog(PoolCase):
    def test_each_moved_customer_gets_its_operation_log(self):
        rule = self.env.ref("wisdom_crm_base.auditlog_rule_partner")
        if rule.state != "confirmed":
            rule.set_to_confirmed()
            self.addCleanup(rule.set_to_draft)
        self.pooled[:3].with_user(self.manager_a).action_assign(self.rep_a2.id, reason="审计")
        logs = self.env["auditlog.log"].search(
            [
                ("model_model", "=", "res.partner"),
                ("res_id", "in", self.pooled[:3].ids),
                ("method", "=", "write"),
            ]
        )
        self.assertEqual(set(logs.mapped("res_id")), set(self.pooled[:3].ids))
        self.assertEqual(set(logs.mapped("name")), set(self.pooled[:3].mapped("display_name")))
        self.assertEqual(logs.user_id, self.manager_a)
        self.assertIn("user_id", logs.line_ids.field_id.mapped("name"))
