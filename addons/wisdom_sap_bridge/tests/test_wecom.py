"""WeCom notifications through the fake WeCom: the shared token (refreshed early and once on
42001/40014), byte limits, the per-member rate limit, and the suite's alerts that use the channel."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import SapBridgeCase


@tagged("post_install", "-at_install")
class TestWecom(SapBridgeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep_a1.wecom_userid = "ZhangSan"
        cls.director.wecom_userid = "LiSi"
        cls.integration_admin.wecom_userid = "WangWu"
        cls.Token = cls.env["wisdom.wecom.token"]

    def notify(self, trap, users, title="Title", body="Body", record=None):
        messages = users._wisdom_wecom_notify(title, body, record)
        self.run_jobs(trap)
        return messages

    def test_text_card_is_delivered_with_one_token_for_all_messages(self):
        with trap_jobs() as trap:
            messages = self.notify(trap, self.rep_a1, "Follow up", "客户即将退回公海", self.customer_a1)
            messages |= self.notify(trap, self.rep_a1 | self.director, "Second", "Again")
        self.assertEqual(set(messages.mapped("state")), {"done"})
        self.assertEqual(len(self.wecom.delivered), 3)
        card = self.wecom.delivered[0]
        self.assertEqual((card["touser"], card["msgtype"], card["agentid"]), ("ZhangSan", "textcard", 1000002))
        self.assertTrue(card["textcard"]["url"].endswith(f"/odoo/res.partner/{self.customer_a1.id}"))
        self.assertEqual(self.wecom.tokens_issued, 1, "one token shared by every message")
        token = self.Token.search([("endpoint_id", "=", self.wecom_endpoint.id)])
        self.assertEqual((len(token), token.fetch_count), (1, 1))
        self.assertNotIn(token.access_token, "".join(messages.mapped("request_payload")))
        self.assertNotIn(
            self.wecom.secret,
            "".join(filter(None, messages.mapped("request_payload") + messages.mapped("response_payload"))),
        )

    def test_expired_token_is_refreshed_exactly_once(self):
        with trap_jobs() as trap:
            self.notify(trap, self.rep_a1)
            self.wecom.expire_tokens()
            [message] = self.notify(trap, self.rep_a1)
        self.assertEqual(message.state, "done")
        self.assertEqual(self.wecom.tokens_issued, 2, "refreshed once")
        sends = [r for r in self.wecom.requests if r.path == "/cgi-bin/message/send"]
        self.assertEqual(len(sends), 3, "first message, refused 42001, sent again with the new token")
        self.assertEqual(message.attempts, 1)

    def test_token_refused_twice_is_not_refreshed_again_but_sent_later(self):
        """The new token refused too (seen in the soak benchmark): retried after the back-off, not lost."""
        with trap_jobs() as trap:
            self.notify(trap, self.rep_a1)
            self.wecom.errcodes.extend([42001, 42001])
            [message] = self.rep_a1._wisdom_wecom_notify("Title", "Body")
            self.env.flush_all()
            self.perform_jobs_round(trap)
            self.env.invalidate_all()
            self.assertEqual((message.state, self.wecom.tokens_issued), ("failed", 2), "refreshed once, then waits")
            self.assertIn("42001", message.last_error)
            self.run_jobs(trap)
        self.assertEqual((message.state, message.attempts, self.wecom.tokens_issued), ("done", 2, 2))
        self.assertEqual(len(self.wecom.delivered), 2)

    def test_token_refreshed_early_before_it_expires(self):
        with trap_jobs() as trap:
            self.notify(trap, self.rep_a1)
            token = self.Token.search([("endpoint_id", "=", self.wecom_endpoint.id)])
            with freeze_time(token.expires_at - timedelta(minutes=4)):
                self.notify(trap, self.rep_a1)
            self.assertEqual(self.wecom.tokens_issued, 2, "a token expiring within 5 minutes is replaced")
            self.notify(trap, self.rep_a1)
        self.assertEqual(self.wecom.tokens_issued, 2)
        self.assertEqual(self.wecom.count("/cgi-bin/message/send", 200), 3)

    def test_long_texts_are_cut_on_utf8_boundaries(self):
        title = "合同审批" * 40  # 480 bytes
        body = "逾期回款提醒：" * 100
        with trap_jobs() as trap:
            [card] = self.notify(trap, self.rep_a1, title, body, self.customer_a1)
            [text] = self.notify(trap, self.rep_a1, title, body * 3)
        self.assertEqual((card.state, text.state), ("done", "done"))
        sent_card, sent_text = self.wecom.delivered
        self.assertLessEqual(len(sent_card["textcard"]["title"].encode()), 128)
        self.assertLessEqual(len(sent_card["textcard"]["description"].encode()), 512)
        self.assertTrue(sent_card["textcard"]["title"].endswith("…"))
        self.assertLessEqual(len(sent_text["text"]["content"].encode()), 2048)
        self.assertTrue(sent_text["text"]["content"].startswith("合同审批"))

    def test_thirty_per_member_and_minute_are_queued_not_dropped(self):
        now = fields.Datetime.now()
        with trap_jobs() as trap:
            messages = self.Message
            for index in range(32):
                messages |= self.rep_a1._wisdom_wecom_notify(f"Alert {index}", "x")
            messages |= self.director._wisdom_wecom_notify("Other member", "x")
            etas = [job.eta for job in trap.enqueued_jobs]
        self.assertEqual(len(etas), 33)
        self.assertEqual(sum(1 for eta in etas if eta is None), 31, "30 for the rep at once, the director too")
        later = sorted(m.wecom_send_at for m in messages if m.wecom_userid == "ZhangSan")[30:]
        for slot in later:
            self.assertGreaterEqual(slot, now + timedelta(seconds=59))
        self.assertEqual(len([eta for eta in etas if eta]), 2)

    def test_busy_is_retried_and_invalid_recipient_is_dead(self):
        with trap_jobs() as trap:
            self.wecom.errcodes.append(-1)
            [busy] = self.rep_a1._wisdom_wecom_notify("Busy", "x")
            self.assertEqual(len(self.perform_jobs_round(trap)), 1)
            self.assertEqual(busy.state, "failed")
            self.run_jobs(trap)
            self.assertEqual(busy.state, "done")
            self.wecom.errcodes.append(81013)
            [invalid] = self.notify(trap, self.rep_a1)
        self.assertEqual(invalid.state, "dead")
        self.assertIn("81013", invalid.last_error)

    def test_users_without_wecom_id_or_without_endpoint_are_skipped(self):
        with trap_jobs() as trap:
            self.assertFalse(self.rep_a2._wisdom_wecom_notify("T", "B"))
            self.wecom_endpoint.active = False
            self.assertFalse(self.rep_a1._wisdom_wecom_notify("T", "B"))
            trap.assert_jobs_count(0)

    # the suite's alerts

    def test_pool_reclaim_warning_reaches_the_rep(self):
        with trap_jobs() as trap:
            self.env["res.partner"]._wisdom_warn_reclaim(
                [
                    (
                        {"id": self.customer_a1.id, "user_id": self.rep_a1.id},
                        _Due(fields.Datetime.now() + timedelta(days=3)),
                    )
                ]
            )
            self.run_jobs(trap)
        [card] = self.wecom.delivered
        self.assertEqual(card["touser"], "ZhangSan")
        self.assertIn(self.customer_a1.name, card["textcard"]["description"])

    def test_a_batch_of_alerts_makes_one_message_per_user(self):
        customers = self.customer_a1 | self.customer_a2
        rows = [
            ({"id": c.id, "user_id": self.rep_a1.id}, _Due(fields.Datetime.now() + timedelta(days=3)))
            for c in customers
        ]
        with trap_jobs() as trap:
            self.env["res.partner"]._wisdom_warn_reclaim(rows)
            self.run_jobs(trap)
        [text] = self.wecom.delivered
        self.assertEqual((text["touser"], text["msgtype"]), ("ZhangSan", "text"))
        self.assertIn(": 2 ", text["text"]["content"])
        for customer in customers:
            self.assertIn(customer.name, text["text"]["content"])

    def test_collection_alert_activity_reaches_the_rep(self):
        activity_type = self.env.ref("wisdom_fulfillment.mail_activity_collection_alert")
        with trap_jobs() as trap:
            self.env["mail.activity"].create(
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": self.customer_a1.id,
                    "user_id": self.rep_a1.id,
                    "summary": "Overdue 30 days: HT-1",
                }
            )
            activity_type.wecom_notify = False
            self.env["mail.activity"].create(
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": self.customer_a1.id,
                    "user_id": self.rep_a1.id,
                    "summary": "Not forwarded",
                }
            )
            self.run_jobs(trap)
        self.assertEqual([m["textcard"]["title"] for m in self.wecom.delivered], ["Overdue 30 days: HT-1"])

    def test_approval_waiting_reaches_the_approver(self):
        order = self._contract(lines=[(self.meter, 10, 450.0)])
        with trap_jobs() as trap:
            order.with_user(self.rep_a1).action_wisdom_submit_review()
            self.run_jobs(trap)
        self.assertEqual(order.review_state, "pending")
        [card] = self.wecom.delivered
        self.assertEqual(card["touser"], "LiSi")
        self.assertIn(order.display_name, card["textcard"]["title"])

    def test_dead_integration_message_reaches_the_integration_admin(self):
        self.sap.next_create("error")
        with trap_jobs() as trap:
            order = self._contract()
            order.with_user(self.rep_a1).action_confirm()
            self.run_jobs(trap)
        self.assertEqual(order.sap_state, "error")
        [card] = [m for m in self.wecom.delivered if m["touser"] == "WangWu"]
        self.assertIn("sales_order_create", card["textcard"]["description"])
        # a dead WeCom message does not alert on WeCom
        with trap_jobs() as trap:
            self.wecom.errcodes.append(81013)
            self.notify(trap, self.rep_a1)
        self.assertEqual(len([m for m in self.wecom.delivered if m["touser"] == "WangWu"]), 1)


class _Due:
    def __init__(self, due_on):
        self.due_on = due_on
