"""查企查查 end to end through the fake Qichacha API: lookup wizard, cache, sync cron, flapping."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.wisdom_crm_base.tests.common import WisdomRolesCase
from odoo.addons.wisdom_crm_base.tests.queue_jobs import TrappedJobsMixin
from odoo.addons.wisdom_qichacha.tests.fake_qichacha import FakeQichacha

XINGCHENG = "长沙星城电气设备有限公司"  # also a demo customer (with another credit code)
HUAYU = "湘潭华宇智能电网科技有限公司"
HUAYU_CODE = "91430300MA4R8H2K3P"
DONGTING = "岳阳洞庭储能设备有限公司"
DONGTING_CODE = "91430600MA4T5N9D25"
ZHUZHOU = "株洲新能配电有限公司"
ZHUZHOU_CODE = "91430200MA4PQ7RT1L"
FUZZY = "/FuzzySearch/GetList"
DETAILS = "/ECIV4/GetBasicDetailsByName"


class QichachaCase(TrappedJobsMixin, WisdomRolesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeQichacha().__enter__()
        cls.addClassCleanup(cls.fake.__exit__, None, None, None)
        cls.endpoint = cls.env.ref("wisdom_qichacha.endpoint_qichacha")
        cls.endpoint.write(
            {
                "base_url": cls.fake.url,
                "api_key": "AK-test",
                "api_secret": "SK-test",
                "daily_budget": 0,
                "retry_base_delay": 60,
            }
        )
        cls.Message = cls.env["wisdom.integration.message"]
        cls.Lookup = cls.env["wisdom.qichacha.lookup"]

    def setUp(self):
        super().setUp()
        self.fake.reset()
        self.fake.status_override = None

    def lookup(self, user, partner, keyword):
        action = partner.with_user(user).action_wisdom_qcc_lookup()
        self.assertEqual(action["res_model"], "wisdom.qichacha.lookup")
        wizard = self.Lookup.with_user(user).with_context(action["context"]).create({"keyword": keyword})
        wizard.action_search()
        return wizard

    def qcc_messages(self, partner):
        return self.Message.search([("res_model", "=", "res.partner"), ("res_id", "=", partner.id)], order="id")


class TestLookupWizard(QichachaCase):
    def test_lookup_fills_the_customer(self):
        customer = self.customer_a1
        wizard = self.lookup(self.rep_a1, customer, "华宇智能")
        self.assertFalse(wizard.error)
        self.assertEqual(wizard.line_ids.mapped("name"), [HUAYU])
        line = wizard.line_ids
        self.assertEqual((line.credit_code, line.legal_representative), (HUAYU_CODE, "陈晓燕"))
        result = line.action_select()
        self.assertEqual(result["type"], "ir.actions.act_window_close")
        self.assertRecordValues(
            customer,
            [
                {
                    "name": HUAYU,
                    "credit_code": HUAYU_CODE,
                    "qcc_legal_representative": "陈晓燕",
                    "qcc_registered_capital": "2000万元人民币",
                    "qcc_establish_date": fields.Date.to_date("2016-03-18"),
                    "qcc_status": "在业",
                    "street": "湘潭市岳塘区芙蓉中路二段126号",
                    "qcc_registration_authority": "湘潭市市场监督管理局",
                    "qcc_key_no": "c4b2e0d8f6a14c3e9b7d5f3a1c9e7b52",
                    "qcc_filled": True,
                    "qcc_at_risk": False,
                }
            ],
        )
        self.assertIn("智能电网", customer.qcc_business_scope)
        self.assertTrue(customer.qcc_sync_date)
        self.assertIn("Legal Representative", customer.qcc_filled_fields)
        self.assertFalse(customer.activity_ids)
        messages = self.qcc_messages(customer)
        self.assertEqual(messages.mapped("operation"), ["fuzzy_search", "basic_details"])
        self.assertEqual(set(messages.mapped("state")), {"done"})
        self.assertTrue(all(m.interactive for m in messages))
        self.assertEqual([r.path for r in self.fake.requests], [FUZZY, DETAILS])
        self.assertNotIn("SK-test", " ".join(messages.mapped("request_payload") + messages.mapped("response_payload")))
        with self.assertRaises(AccessError):
            messages.with_user(self.rep_a1).read(["state"])

    def test_same_name_as_an_existing_customer_is_refused(self):
        # The demo data holds 长沙星城电气设备有限公司 already; without demo data, make one.
        if not self.env["res.partner"].wisdom_check_duplicates({"name": XINGCHENG}):
            self.env["res.partner"].create(
                {"name": XINGCHENG, "is_company": True, "wisdom_customer": True, "user_id": self.rep_b1.id}
            )
        wizard = self.lookup(self.rep_a1, self.customer_a1, "星城电气")
        with self.assertRaisesRegex(ValidationError, "already exists"):
            wizard.line_ids.action_select()
        self.assertEqual(self.customer_a1.name, "Customer of t_rep_a1")

    def test_cache_hit_makes_no_call(self):
        self.lookup(self.rep_a1, self.customer_a1, "华宇智能")
        second = self.lookup(self.rep_a1, self.customer_a1, "华宇智能")
        self.assertEqual(second.line_ids.mapped("name"), [HUAYU])
        self.assertEqual(self.fake.count(), 1, "the second lookup is answered from the cache")
        cached = self.qcc_messages(self.customer_a1)[-1]
        self.assertEqual((cached.state, cached.from_cache, cached.total_attempts), ("done", True, 0))
        self.assertTrue(self.env["wisdom.qichacha.cache"].search_count([("key", "like", FUZZY)]))

    def test_exact_duplicate_refused_before_anything_is_written(self):
        self.customer_a2.credit_code = HUAYU_CODE
        wizard = self.lookup(self.rep_a1, self.customer_a1, "华宇智能")
        with self.assertRaisesRegex(ValidationError, "already exists"):
            wizard.line_ids.action_select()
        self.assertEqual(self.customer_a1.name, "Customer of t_rep_a1")
        self.assertFalse(self.customer_a1.credit_code or self.customer_a1.qcc_filled)
        self.assertEqual(self.fake.count(path=DETAILS), 0, "no billed call for a company that would be refused")

    def test_no_result_and_errors_are_shown_in_the_wizard(self):
        wizard = self.lookup(self.rep_a1, self.customer_a1, "不存在的公司名称")
        self.assertTrue(wizard.searched)
        self.assertFalse(wizard.line_ids or wizard.error)
        self.fake.status_override = "112"
        wizard.keyword = "华宇"
        wizard.action_search()
        self.assertIn("quota", wizard.error)
        self.assertIn("112", wizard.error)
        self.assertEqual(self.qcc_messages(self.customer_a1)[-1].state, "dead")
        self.fake.status_override = None
        self.fake.fail_next(1, status=503)
        wizard.keyword = "华宇智"
        wizard.action_search()
        self.assertIn("did not answer", wizard.error)
        self.assertEqual(self.qcc_messages(self.customer_a1)[-1].state, "failed")
        wizard.keyword = "星"
        with self.assertRaises(UserError):
            wizard.action_search()

    def test_wrong_secret_is_an_auth_error(self):
        self.endpoint.api_secret = "SK-wrong"
        wizard = self.lookup(self.rep_a1, self.customer_a1, "星城电气")
        self.assertIn("107", wizard.error)
        self.assertIn("AppKey", wizard.error)

    def test_not_configured_is_a_clear_error(self):
        self.endpoint.api_key = False
        with self.assertRaisesRegex(UserError, "not configured"):
            self.lookup(self.rep_a1, self.customer_a1, "星城电气")
        self.assertFalse(self.qcc_messages(self.customer_a1))

    def test_rep_cannot_look_up_someone_elses_customer(self):
        with self.assertRaises(AccessError):
            self.customer_b1.with_user(self.rep_a1).action_wisdom_qcc_lookup()

    def test_risky_company_flagged_on_lookup(self):
        wizard = self.lookup(self.rep_b1, self.customer_b1, "株洲新能")
        self.assertTrue(wizard.line_ids.at_risk)
        wizard.line_ids.action_select()
        self.assertTrue(self.customer_b1.qcc_at_risk)
        self.assertEqual(self.customer_b1.activity_ids.user_id, self.rep_b1)


class TestRoles(QichachaCase):
    def test_access_per_role(self):
        self.lookup(self.rep_a1, self.customer_a1, "华宇智能")
        cache = self.env["wisdom.qichacha.cache"].search([], limit=1)
        self.assertTrue(cache)
        for user in (
            self.rep_a1,
            self.manager_a,
            self.director,
            self.product_manager,
            self.finance,
            self.contract_admin,
        ):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                cache.with_user(user).read(["value"])
        self.assertTrue(cache.with_user(self.integration_admin).read(["value"]))
        # Sales roles use the lookup on the customers they may change; other roles have no lookup.
        self.lookup(self.manager_a, self.customer_a2, "华宇智能")
        self.lookup(self.director, self.customer_b1, "华宇智能")
        for user in (self.product_manager, self.finance):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Lookup.with_user(user).create({"partner_id": self.customer_a1.id, "keyword": "华宇智能"})


class TestEndpoint(QichachaCase):
    def test_test_connection_button(self):
        endpoint = self.endpoint.with_user(self.integration_admin)
        result = endpoint.action_test_connection()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(self.fake.count(path=FUZZY), 1)
        endpoint.api_secret = "SK-wrong"
        self.env["wisdom.qichacha.cache"].search([]).unlink()
        result = endpoint.action_test_connection()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("107", result["params"]["message"])


class TestSync(QichachaCase):
    def setUp(self):
        super().setUp()
        # Only the customers of the test are due (the demo customers count as freshly synced).
        self.env["res.partner"].search([("wisdom_customer", "=", True)]).qcc_sync_date = fields.Datetime.now()
        self.customer_b1.write(
            {
                "name": ZHUZHOU,
                "credit_code": ZHUZHOU_CODE,
                "qcc_status": "存续",
                "qcc_legal_representative": "王五",
                "qcc_sync_date": fields.Datetime.now() - timedelta(days=40),
            }
        )
        self.customer_a2.write(
            {"credit_code": DONGTING_CODE, "name": DONGTING, "qcc_sync_date": fields.Datetime.now() - timedelta(days=1)}
        )

    def test_sync_cron_turns_a_customer_at_risk(self):
        with trap_jobs() as trap:
            queued = self.env["res.partner"]._cron_wisdom_qcc_sync()
            self.assertIn(self.customer_b1, queued)
            self.assertNotIn(self.customer_a2, queued, "synced yesterday: not due yet")
            trap.assert_enqueued_job(
                self.qcc_messages(self.customer_b1)._wisdom_job_send,
                properties={"channel": "root.wisdom_integration.qichacha"},
            )
            self.run_jobs(trap)
        customer = self.customer_b1
        self.assertTrue(customer.qcc_at_risk)
        self.assertEqual(customer.qcc_status, "吊销，未注销")
        self.assertEqual(customer.qcc_legal_representative, "李明")
        bodies = customer.message_ids.mapped("body")
        self.assertTrue(any("吊销" in body and "at risk" in body for body in bodies))
        self.assertTrue(any("王五" in body and "李明" in body for body in bodies), "changed fields are listed")
        activity = customer.activity_ids
        self.assertEqual((len(activity), activity.user_id), (1, self.rep_b1))
        message = self.qcc_messages(customer)
        self.assertEqual((message.operation, message.state, message.interactive), ("sync_details", "done", False))
        # Running again (same answer) neither posts nor schedules anything new.
        posts = len(customer.message_ids)
        customer._wisdom_integration_done(message, message.wisdom_response())
        self.assertEqual(len(customer.activity_ids), 1)
        self.assertEqual(len(customer.message_ids), posts)
        with trap_jobs() as trap:
            self.assertFalse(self.env["res.partner"]._cron_wisdom_qcc_sync() & customer, "fresh now")

    def test_daily_budget_limits_the_batch(self):
        self.customer_a2.qcc_sync_date = False
        self.endpoint.daily_budget = 1
        with trap_jobs() as trap:
            queued = self.env["res.partner"]._cron_wisdom_qcc_sync()
            self.assertEqual(len(queued), 1)
            self.run_jobs(trap)
            self.assertEqual(self.endpoint._wisdom_budget_left(), 0)
            self.assertEqual(self.endpoint.calls_today, 1)
            self.assertFalse(self.env["res.partner"]._cron_wisdom_qcc_sync(), "budget used up today")

    def test_sync_retried_after_5xx(self):
        self.fake.fail_next(2, status=502)
        with trap_jobs() as trap:
            self.env["res.partner"]._cron_wisdom_qcc_sync()
            self.run_jobs(trap, rounds=5)
        message = self.qcc_messages(self.customer_b1)
        self.assertEqual((message.state, message.attempts, message.failed_attempts), ("done", 3, 2))
        self.assertTrue(self.customer_b1.qcc_at_risk)

    def test_rate_limit_backs_off_the_job_and_every_other_call(self):
        self.fake.status_override = "120"  # abnormal traffic: Qichacha asks for 5 minutes of quiet
        with trap_jobs() as trap:
            first = self.Message.wisdom_enqueue(
                "qichacha", "basic_details", {"keyword": HUAYU_CODE}, idempotency_key="rate-1"
            )
            second = self.Message.wisdom_enqueue(
                "qichacha", "basic_details", {"keyword": ZHUZHOU_CODE}, idempotency_key="rate-2"
            )
            postponed = self.perform_jobs_round(trap)
        self.assertEqual(len(postponed), 2, "both are retried by queue_job")
        self.assertEqual(self.fake.count(), 1, "the back-off committed by the first job spares the second call")
        for message in first | second:
            self.assertEqual(message.state, "failed")
            self.assertIn("[120", message.last_error)
            self.assertGreaterEqual(
                message.next_attempt_at - message.last_attempt_at,
                timedelta(seconds=290),
                "Qichacha's 5 minutes win over the endpoint's 60 s",
            )
        for job in postponed:
            self.assertGreaterEqual(job.eta - fields.Datetime.now(), timedelta(seconds=290))
        self.assertEqual((first.total_attempts, second.total_attempts, second.from_cache), (1, 0, True))


class TestFlapping(QichachaCase):
    def test_200_lookups_with_30_percent_5xx(self):
        self.env["ir.config_parameter"].set_param("wisdom_qichacha.cache_days", "0")
        self.endpoint.write({"max_attempts": 12, "retry_base_delay": 1})
        self.fake.flap(0.3, status=502, seed=11)
        with trap_jobs() as trap:
            messages = self.Message.browse()
            for index in range(200):
                messages |= self.Message.wisdom_enqueue(
                    "qichacha",
                    "basic_details",
                    {"keyword": HUAYU if index % 2 else ZHUZHOU_CODE},
                    idempotency_key=f"flap-{index}",
                )
            self.run_jobs(trap, rounds=30)
        self.fake.flap(None)
        self.assertEqual(len(messages), 200)
        self.assertEqual(set(messages.mapped("state")), {"done"}, "no message lost")
        calls, failed = self.fake.count(), self.fake.count(status=502)
        self.assertGreater(failed, 30)
        self.assertEqual(sum(messages.mapped("total_attempts")), calls)
        self.assertEqual(sum(messages.mapped("failed_attempts")), failed)
        figures = self.Message.wisdom_dashboard_data()["qichacha"]
        self.assertEqual((figures["calls_24h"], figures["failed_24h"]), (calls, failed))
        dashboard = self.env["wisdom.integration.dashboard"].with_user(self.integration_admin).create({})
        self.assertAlmostEqual(dashboard.failure_rate_24h, failed / calls * 100, delta=0.005)  # shown with 2 digits
        self.assertTrue(all(m.wisdom_response()["company"]["key_no"] for m in messages))
