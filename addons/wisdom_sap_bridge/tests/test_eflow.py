"""The demand's e-flow (CON-10): one demand run from the rep's entry to the planned order in MES through the
fake PLM, SAP and MES servers. A system that is down makes its step wait (with the system and since when)
without blocking anyone else, and the step completes by itself once the system is back and the crons run."""

import threading
from datetime import timedelta
from http.server import ThreadingHTTPServer

from odoo import fields
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.wisdom_sap_bridge.tests.fake_mes import FakeMes

from .common import OwnCursorJobsMixin, SapBridgeCase

MES_TOKEN = "mes-progress-eflow-1f2e3d4c5b6a79880716253443526170"


@tagged("post_install", "-at_install")
class TestEflow(OwnCursorJobsMixin, HttpCase, SapBridgeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake_mes = FakeMes()
        cls.mes_endpoint = cls.start_fake(
            cls.fake_mes,
            "wisdom_sap_bridge.endpoint_mes",
            inbound_token=MES_TOKEN,
            timeout=5,
            max_attempts=3,
        )
        cls.Demand = cls.env["wisdom.contract.demand"]
        cls.Line = cls.env["wisdom.contract.demand.line"]

    def setUp(self):
        super().setUp()
        self.fake_mes.reset()

    # HELPERS

    def resume_cron(self):
        """The scheduled action that sends again the messages of systems that were down, then the jobs."""
        cron = self.env.ref("wisdom_sap_bridge.ir_cron_eflow_resume")
        self.assertTrue(cron.active)
        self.assertEqual(cron.code, "model._cron_wisdom_resume()")
        with trap_jobs() as trap:
            resumed = self.Message._cron_wisdom_resume()
        self.run_jobs(trap)
        return resumed

    def poll_plm(self):
        with trap_jobs() as trap:
            self.Line._cron_wisdom_plm_poll()
        self.run_jobs(trap)

    def step(self, demand, key, user=None):
        """The step ``key`` of the demand's e-flow, as ``user`` reads it: ``(status, html of the whole flow)``."""
        demand = demand.with_user(user or self.rep_a1)
        demand.invalidate_recordset()
        html = str(demand.eflow_html)
        marker = "o_wisdom_eflow_step o_wisdom_eflow_"
        items = html.split("<li ")[1:]
        keys = ["draft", "pm_review", "contract_review", "coding", "planned", "sap", "mes"]
        item = items[keys.index(key)]
        return item[item.index(marker) + len(marker) :].split(" ")[0], html

    def assert_waiting(self, demand, system, since):
        demand.invalidate_recordset()
        self.assertEqual((demand.eflow_waiting_for, demand.eflow_since), (system, since))
        self.assertFalse(demand.eflow_blocked)
        found = self.Demand.with_user(demand.user_id).search([("eflow_waiting_for", "=", system)])
        self.assertIn(demand, found, f"the rep's filter “waiting for {system}” finds it")

    def entered(self, demand, state):
        return fields.Datetime.to_datetime(demand.sudo().eflow_state_dates[state])

    def standard_demand(self):
        demand = self.Demand.with_user(self.rep_a1).create(
            {
                "partner_id": self.customer_a1.id,
                "line_ids": [Command.create({"product_id": self.meter.id, "quantity": 10, "target_price": 560})],
            }
        )
        demand.action_submit()
        demand.sudo().write(
            {"product_manager_id": self.product_manager.id, "contract_admin_id": self.contract_admin.id}
        )
        demand.line_ids.with_user(self.product_manager).action_accept()
        return demand

    def sign(self, order):
        """The rep fills the instalments, submits the review, the reviewers approve, the rep confirms."""
        order.with_user(self.rep_a1).write(
            {
                "payment_term_line_ids": [
                    Command.create({"kind": "prepayment", "percent": 30}),
                    Command.create({"kind": "delivery", "percent": 70, "days": 30}),
                ]
            }
        )
        order.with_user(self.rep_a1).action_wisdom_submit_review()
        for _round in range(5):
            pending = order.review_ids.filtered(lambda r: r.status == "pending")
            if not pending:
                break
            demand = order.demand_id
            if _round == 0:
                status, html = self.step(demand, "planned")
                self.assertEqual(status, "current", "the approvers act")
                self.assertEqual((demand.eflow_step, demand.eflow_waiting_for), ("planned", "person"))
            reviewer = pending[0].reviewer_ids[:1] or pending[0].reviewer_group_id.user_ids[:1]
            order.with_user(reviewer).validate_tier()
        self.assertEqual(order.review_state, "approved")
        with trap_jobs() as trap:
            order.with_user(self.rep_a1).action_confirm()
        self.assertEqual(order.state, "sale")
        return trap

    def stop_mes(self):
        """MES refuses connections (its server is down), :return: a function starting it again at the same
        address."""
        host, port = self.fake_mes._server.server_address[:2]
        self.fake_mes.__exit__(None, None, None)

        def restart():
            fake = self.fake_mes
            fake._server = ThreadingHTTPServer((host, port), fake._handler_class())
            fake._thread = threading.Thread(target=fake._server.serve_forever, daemon=True)
            fake.__enter__()

        return restart

    # THE WHOLE FLOW

    def test_whole_flow_with_plm_then_mes_down_resumes_by_itself(self):
        # PLM is down (503) when the contract admin approves the demand
        self.plm.fail_next(100, status=503)
        demand, lines, trap = self.coding_demand(new_items=("Explosion-proof terminal",))
        self.assertEqual(demand.state, "coding")
        for key in ("draft", "pm_review", "contract_review"):
            self.assertEqual(self.step(demand, key)[0], "done")
        coding_since = self.entered(demand, "coding")
        self.assert_waiting(demand, "plm", coding_since)

        self.perform_jobs_round(trap)
        self.env.invalidate_all()
        message = lines.sudo().plm_message_id
        self.assertEqual((message.state, message.http_status), ("failed", 503))
        status, html = self.step(demand, "coding")
        self.assertEqual(status, "waiting")
        self.assertIn("PLM down since", html)
        self.assertIn("attempt 2", html)
        self.assertNotIn("wisdom.integration.message", html, "a rep cannot open integration messages")
        self.assertIn(
            f"/odoo/wisdom.integration.message/{message.id}",
            self.step(demand, "coding", self.integration_admin)[1],
            "the integration admin gets the link to the message",
        )
        self.assert_waiting(demand, "plm", coding_since)

        # PLM stays down: the attempts run out, the message is dead, the step still waits for PLM
        self.run_jobs(trap)
        self.assertEqual((message.state, message.retries_exhausted, lines.plm_state), ("dead", True, "failed"))
        status, html = self.step(demand, "coding")
        self.assertEqual(status, "waiting")
        self.assertIn("sent again by itself", html)
        self.assert_waiting(demand, "plm", coding_since)

        # nothing else is blocked: another demand goes through every review meanwhile
        other = self.standard_demand()
        other.with_user(self.product_manager).action_pm_approve()
        other.with_user(self.contract_admin).action_contract_approve()
        other.with_user(self.rep_a1).action_create_contract()
        self.assertEqual(other.state, "done")

        # the resume cron probes PLM while it is still down: the message dies again, alerted once
        self.assertEqual(self.resume_cron(), message)
        self.assertEqual((message.state, message.resumed_count, message.attempts), ("dead", 1, 3))

        # PLM is back: the cron sends the request again by itself, PLM takes it
        self.plm.reset()
        self.assertEqual(self.resume_cron(), message)
        self.assertEqual((message.state, lines.plm_state), ("done", "requested"))
        status, html = self.step(demand, "coding")
        self.assertEqual(status, "waiting")
        self.assertIn("PLM is coding 1 item(s)", html)
        self.assert_waiting(demand, "plm", coding_since)

        # PLM gives the code; the poll cron fetches it and the demand moves on by itself
        self.plm.complete(lines.plm_request_id, "WS-EX-7001")
        self.poll_plm()
        self.assertEqual((demand.state, lines.material_code), ("planned", "WS-EX-7001"))
        self.assertEqual(self.step(demand, "coding")[0], "done")
        self.assertEqual((demand.eflow_step, demand.eflow_waiting_for), ("planned", "person"))

        # the rep creates the contract, the approvers approve, the rep signs; MES is down meanwhile
        action = demand.with_user(self.rep_a1).action_create_contract()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertIn(f"/odoo/sale.order/{order.id}", self.step(demand, "planned")[1])
        restart_mes = self.stop_mes()
        try:
            trap = self.sign(order)
            self.assertEqual(self.step(demand, "planned")[0], "done")
            self.run_jobs(trap)
            self.assertEqual(order.sap_state, "done")
            self.assertEqual(self.step(demand, "sap")[0], "done")
            mes_message = order.sudo().mes_message_id
            self.assertEqual((mes_message.state, mes_message.retries_exhausted), ("dead", True))
            self.assertEqual(mes_message.http_status, 0, "connection refused")
            status, html = self.step(demand, "mes")
            self.assertEqual(status, "waiting")
            self.assertIn("MES down since", html)
            self.assert_waiting(demand, "mes", mes_message.create_date)
            self.assertFalse(self.fake_mes.orders)
        finally:
            restart_mes()

        # MES is back: the cron sends the planned order again, the flow is complete
        self.assertEqual(self.resume_cron(), mes_message)
        self.assertEqual((order.mes_state, len(self.fake_mes.orders)), ("done", 1))
        demand.invalidate_recordset()
        self.assertFalse(demand.eflow_waiting_for)
        self.assertFalse(demand.eflow_step)
        for key in ("draft", "pm_review", "contract_review", "coding", "planned", "sap", "mes"):
            self.assertEqual(self.step(demand, key)[0], "done", key)
        self.assertIn(order.sap_order_no, self.step(demand, "sap")[1])
        self.assertIn(order.mes_order_no, self.step(demand, "mes")[1])

    def test_refused_request_is_a_dead_letter_the_resume_cron_leaves_alone(self):
        self.plm_endpoint.api_key = "wrong-key"
        demand, lines, trap = self.coding_demand(new_items=("Explosion-proof terminal",))
        self.run_jobs(trap)
        message = lines.sudo().plm_message_id
        self.assertEqual((message.state, message.retries_exhausted), ("dead", False))
        demand.invalidate_recordset()
        self.assertEqual((demand.eflow_waiting_for, demand.eflow_blocked), ("plm", True))
        self.assertIn(demand, self.Demand.with_user(self.rep_a1).search([("eflow_blocked", "=", True)]))
        status, html = self.step(demand, "coding")
        self.assertEqual(status, "dead")
        self.assertIn("HTTP 401", html)
        self.assertIn("The integration admin opens it to retry", html)
        self.assertFalse(self.resume_cron(), "refused, not down: only a person can fix it")
        self.assertEqual(message.state, "dead")

    # VISIBILITY, FILTERS, ESCAPING

    def test_reps_see_the_eflow_of_their_own_demands_only(self):
        mine = self.standard_demand()
        theirs = self.Demand.with_user(self.rep_b1).create(
            {"partner_id": self.customer_b1.id, "line_ids": [Command.create({"product_id": self.meter.id})]}
        )
        theirs.action_submit()
        self.assertEqual(self.step(mine, "pm_review")[0], "current")
        with self.assertRaises(AccessError):
            theirs.with_user(self.rep_a1).read(["eflow_html"])
        with self.assertRaises(AccessError):
            mine.with_user(self.rep_b1).read(["eflow_html", "eflow_waiting_for"])
        found = self.Demand.with_user(self.rep_a1).search([("eflow_waiting_for", "=", "person")])
        self.assertIn(mine, found)
        self.assertNotIn(theirs, found)
        for user in (self.manager_a, self.director, self.product_manager, self.contract_admin):
            with self.subTest(user=user.login):
                self.assertIn("o_wisdom_eflow_current", self.step(theirs, "pm_review", user)[1])
        groups = self.Demand.with_user(self.rep_a1)._read_group(
            [("id", "in", (mine | theirs).ids)], ["eflow_waiting_for"], ["__count"]
        )
        self.assertEqual(groups, [("person", 1)], "grouped by what it waits for, the rep's own only")

    def test_stuck_filter_uses_the_hours_of_the_parameter(self):
        demand = self.standard_demand()
        stuck = [("eflow_stuck", "=", True), ("id", "=", demand.id)]
        self.assertFalse(self.Demand.with_user(self.rep_a1).search(stuck))
        demand.sudo().eflow_state_dates = {
            **demand.sudo().eflow_state_dates,
            "pm_review": fields.Datetime.to_string(fields.Datetime.now() - timedelta(hours=30)),
        }
        self.env.flush_all()
        self.assertEqual(self.Demand.with_user(self.rep_a1).search(stuck), demand)
        self.assertTrue(demand.eflow_stuck)
        self.env["ir.config_parameter"].sudo().set_param("wisdom_sap_bridge.eflow_stuck_hours", "48")
        self.assertFalse(self.Demand.with_user(self.rep_a1).search(stuck))
        not_stuck = self.Demand.with_user(self.rep_a1).search([("eflow_stuck", "=", False), ("id", "=", demand.id)])
        self.assertEqual(not_stuck, demand)

    def test_texts_are_escaped(self):
        demand = self.standard_demand()
        demand.sudo().reason = '<img src=x onerror="alert(1)">'
        demand.with_user(self.product_manager).action_reject()
        status, html = self.step(demand, "pm_review")
        self.assertEqual(status, "current")
        self.assertNotIn("<img", html)
        self.assertIn("&lt;img src=x", html)
        self.assertEqual((demand.eflow_waiting_for, demand.eflow_step), ("person", "pm_review"))


@tagged("post_install", "-at_install")
class TestEflowOnPhone(OwnCursorJobsMixin, HttpCase, SapBridgeCase):
    """A rep reads the e-flow of a demand waiting for PLM on a 390 px phone, in Chinese."""

    browser_size = "390x844"
    touch_enabled = True

    def test_rep_reads_the_eflow_on_a_phone(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.rep_a1.write(
            {"lang": "zh_CN", **({"odoobot_state": "disabled"} if "odoobot_state" in self.rep_a1._fields else {})}
        )
        self.plm.fail_next(5, status=503)
        demand, lines, trap = self.coding_demand(new_items=("Explosion-proof terminal",))
        self.env.flush_all()
        self.perform_jobs_round(trap)
        self.env.invalidate_all()
        self.assertEqual(lines.sudo().plm_message_id.state, "failed")
        self.start_tour(
            f"/odoo/action-wisdom_contract.action_wisdom_contract_demand/{demand.id}",
            "wisdom_eflow_on_phone",
            login=self.rep_a1.login,
        )
