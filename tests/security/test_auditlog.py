"""NFR-03 operation log: every listed model logs create, write and delete by role users, reads of
customers and contracts once switched on; only directors and administrators read the log; old
entries are removed after the configured number of days."""

from datetime import timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.wisdom_fulfillment.tests.common import FulfilmentCase


@tagged("post_install", "-at_install")
class TestOperationLog(FulfilmentCase):
    def _logs(self, records, method):
        return (
            self.env["auditlog.log"]
            .sudo()
            .search(
                [
                    ("model_model", "=", records._name),
                    ("res_id", "in", records.ids),
                    ("method", "=", method),
                ]
            )
        )

    def assertLogged(self, records, method, user):
        logs = self._logs(records, method)
        self.assertTrue(logs, f"no {method} log of {records}")
        self.assertEqual(logs.user_id, user, f"{method} of {records} logged for the wrong user")
        return logs

    def assertCrudLogged(self, create, update, user, unlink_user=None):
        """create() → a record, update(record) writes it; then the record is deleted."""
        record = create()
        self.assertLogged(record, "create", user)
        update(record)
        self.assertLogged(record, "write", user)
        ids = record.ids
        record.with_user(unlink_user or user).unlink()
        self.assertLogged(record.browse(ids), "unlink", unlink_user or user)

    def _set_log_read(self, rule, flag):
        """What an administrator does on the rule form: unsubscribe, tick 'Log Reads', subscribe."""
        rule.set_to_draft()
        rule.log_read = flag
        rule.set_to_confirmed()

    # --- the rules exist, are active, and cover what NFR-03 asks ---

    def test_rules_installed_and_subscribed(self):
        models = {
            "res.partner",
            "sale.order",
            "sale.order.line",
            "account.payment",
            "account.move",
            "wisdom.customer.pool",
            "wisdom.customer.pool.rule",
            "wisdom.collection.plan.line",
            "wisdom.shipment.request",
            "wisdom.receivable.disposal",
            "wisdom.review.rule",
        }
        rules = self.env["auditlog.rule"].search([("model_id.model", "in", list(models))])
        self.assertEqual(set(rules.mapped("model_id.model")), models)
        for rule in rules:
            self.assertEqual(rule.state, "confirmed", rule.name)
            self.assertTrue(rule.log_create and rule.log_write and rule.log_unlink, rule.name)
            self.assertFalse(rule.log_read, f"{rule.name}: reads are logged only once switched on")
            self.assertEqual(rule.log_type, "fast", rule.name)
            self.assertTrue(hasattr(type(self.env[rule.model_id.model]), "auditlog_ruled_create"), rule.name)
            # the "View logs" shortcut on the model's action menu is for those who may read the log
            self.assertEqual(rule.action_id.group_ids, self.env.ref("auditlog.group_auditlog_user"), rule.name)

    # --- create / write / unlink by real role users ---

    def test_customer_crud_logged(self):
        Partner = self.env["res.partner"].with_user(self.rep_a1)
        self.assertCrudLogged(
            lambda: Partner.create(
                {"name": "审计客户", "is_company": True, "wisdom_customer": True, "user_id": self.rep_a1.id}
            ),
            lambda partner: partner.write({"phone": "010-62345678"}),
            self.rep_a1,
            unlink_user=self.env.ref("base.user_admin"),  # only administrators delete customers
        )
        contact = Partner.create({"name": "审计联系人", "parent_id": self.customer_a1.id})
        self.assertLogged(contact, "create", self.rep_a1)
        contact.with_user(self.rep_a1).write({"function": "采购经理"})
        line = self._logs(contact, "write").line_ids.filtered(lambda ln: ln.field_name == "function")
        self.assertEqual((line.old_value_text, line.new_value_text), (False, "采购经理"))

    def test_batch_logs_hold_what_ocas_create_stores(self):
        """The logs of a batch are inserted in two statements; each log and line holds exactly what
        OCA's ``auditlog.log.create`` stores from the same values."""
        customers = self.customer_a1 | self.customer_a2
        when = fields.Datetime.now().replace(microsecond=0)
        vals = {"user_id": self.rep_a2.id, "pool_state": "pool", "released_at": when, "pool_reason": "批量"}
        customers.with_user(self.director).sudo().write(vals)
        logs = self._logs(customers, "write").sorted("res_id")
        self.assertEqual(logs.mapped("res_id"), customers.sorted("id").ids)
        Rule = self.env["auditlog.rule"].sudo()
        model_id = self.env["ir.model"]._get_id("res.partner")
        field_id = {name: Rule._get_field(model_id, name)["id"] for name in vals}
        reference = (
            self.env["auditlog.log"]
            .sudo()
            .create(
                {
                    "name": customers.sorted("id")[0].display_name,
                    "model_id": model_id,
                    "res_id": customers.sorted("id")[0].id,
                    "method": "write",
                    "user_id": self.director.id,
                    "log_type": "fast",
                    "line_ids": [
                        Command.create(
                            {
                                "field_id": field_id[name],
                                "old_value": False,
                                "old_value_text": False,
                                "new_value": value,
                                "new_value_text": value,
                            }
                        )
                        for name, value in vals.items()
                    ],
                }
            )
        )
        log_fields = ["name", "model_id", "model_name", "model_model", "res_id", "method", "user_id", "log_type"]
        line_fields = ["field_id", "field_name", "field_description", "old_value", "new_value", "new_value_text"]
        self.assertEqual(logs[0].read(log_fields)[0] | {"id": 0}, reference.read(log_fields)[0] | {"id": 0})
        self.maxDiff = None
        self.assertEqual(
            {line["field_name"]: line | {"id": 0} for line in logs[0].line_ids.read(line_fields)},
            {line["field_name"]: line | {"id": 0} for line in reference.line_ids.read(line_fields)},
        )
        self.assertEqual(logs[0].create_uid, self.director)  # as the ORM stores it: the user who wrote
        self.assertTrue(logs[0].create_date)

    def test_a_write_on_no_record_costs_no_query(self):
        """Odoo's own code writes on empty recordsets often (posting a payment: 6 times); OCA looked
        its rule up and registered the HTTP request for each."""
        self.env.flush_all()
        with self.assertQueryCount(0):
            self.env["res.partner"].with_user(self.rep_a1).browse().write({"comment": "无"})

    def test_logs_kept_together_until_the_block_ends(self):
        """A bulk job's block inserts its logs at the end with two statements, the same logs as one
        by one; a block that fails inside its savepoint leaves neither records nor logs."""
        Rule = self.env["auditlog.rule"].sudo()
        Partner = self.env["res.partner"].with_user(self.rep_a1)
        with Rule._wisdom_logs_together():
            contact = Partner.create({"name": "批量联系人", "parent_id": self.customer_a1.id})
            contact.write({"function": "总工"})
            contact.write({"function": "副总工"})
            self.assertFalse(self._logs(contact, "create") | self._logs(contact, "write"))
            self.env.flush_all()
            queries = self.env.cr.sql_log_count
        self.assertEqual(self.env.cr.sql_log_count - queries, 2, "one INSERT for the logs, one for their lines")
        self.assertLogged(contact, "create", self.rep_a1)
        lines = self._logs(contact, "write").line_ids.filtered(lambda ln: ln.field_name == "function")
        self.assertEqual(sorted(lines.mapped("new_value_text")), ["副总工", "总工"])

        logs_before = self.env["auditlog.log"].sudo().search_count([])
        with self.assertRaises(ValueError), self.env.cr.savepoint(), Rule._wisdom_logs_together():
            failed = Partner.create({"name": "失败联系人", "parent_id": self.customer_a1.id})
            failed.write({"function": "总工"})
            raise ValueError("the batch fails")
        self.assertFalse(Partner.search([("name", "=", "失败联系人")]))
        self.assertEqual(self.env["auditlog.log"].sudo().search_count([]), logs_before)
        # and the next logged write is inserted at once again
        contact.write({"function": "总经理"})
        self.assertIn("总经理", self._logs(contact, "write").line_ids.mapped("new_value_text"))

    def test_contract_and_lines_crud_logged(self):
        Order = self.env["sale.order"].with_user(self.rep_a1)
        order = Order.create(
            {
                "partner_id": self.customer_a1.id,
                "user_id": self.rep_a1.id,
                "team_id": self.team_a.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": qty}) for qty in (3, 4)
                ],
            }
        )
        self.assertLogged(order, "create", self.rep_a1)
        self.assertLogged(order.order_line, "create", self.rep_a1)
        first, second = order.order_line
        first.product_uom_qty = 5
        self.assertLogged(first, "write", self.rep_a1)
        order.write({"client_order_ref": "PO-7"})
        self.assertLogged(order, "write", self.rep_a1)
        second.unlink()
        self.assertLogged(second, "unlink", self.rep_a1)
        order_ids = order.ids
        order.with_user(self.director).unlink()  # reps may not delete quotations
        self.assertLogged(order.browse(order_ids), "unlink", self.director)

    def test_payment_crud_logged(self):
        order = self._contract()
        Payment = self.env["account.payment"].with_user(self.finance)
        self.assertCrudLogged(
            lambda: Payment.create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": order.partner_id.id,
                    "amount": 300.0,
                }
            ),
            lambda payment: payment.write({"amount": 320.0}),
            self.finance,
        )

    def test_collection_plan_lines_logged(self):
        order = self._contract(confirm=False).with_user(self.rep_a1)
        order.action_confirm()
        lines = order.plan_line_ids
        self.assertTrue(lines)
        self.assertLogged(lines, "create", self.rep_a1)
        Line = self.env["wisdom.collection.plan.line"].with_user(self.finance)
        self.assertCrudLogged(
            lambda: Line.create({"order_id": order.id, "kind": "custom", "amount": 10.0, "anchor_event": "signing"}),
            lambda line: line.write({"amount": 12.0}),
            self.finance,
        )

    def test_shipment_request_logged(self):
        order = self._contract()
        Request = self.env["wisdom.shipment.request"].with_user(self.rep_a1)
        self.assertCrudLogged(
            lambda: Request.create(
                {
                    "order_id": order.id,
                    "line_ids": [Command.create({"sale_line_id": order.order_line.id, "quantity": 2})],
                }
            ),
            lambda request: request.write({"requested_date": fields.Date.today()}),
            self.rep_a1,
        )

    def test_review_rule_logged(self):
        Rule = self.env["wisdom.review.rule"].with_user(self.contract_admin)
        self.assertCrudLogged(
            lambda: Rule.create({"name": "折扣上限 25%", "check_type": "discount_limit", "threshold": 25}),
            lambda rule: rule.write({"threshold": 20}),
            self.contract_admin,
        )

    def test_pool_settings_logged(self):
        Pool = self.env["wisdom.customer.pool"].with_user(self.director)
        self.assertCrudLogged(
            lambda: Pool.create({"name": "华南公海"}),
            lambda pool: pool.write({"daily_claim_limit": 3}),
            self.director,
        )

    # --- reads: off by default, logged once switched on ---

    def test_reads_logged_once_switched_on(self):
        rules = self.env.ref("wisdom_crm_base.auditlog_rule_partner") | self.env.ref(
            "wisdom_crm_base.auditlog_rule_sale_order"
        )
        # records fresh from create() carry auditlog's "do not log reads" context: read them as a
        # new request of the web client would
        customer = self.env["res.partner"].with_user(self.rep_a1).browse(self.customer_a1.id)
        order = self.env["sale.order"].with_user(self.rep_a1).browse(self.orders[self.rep_a1].id)
        customer.read(["name"])
        self.assertFalse(self._logs(self.customer_a1, "read"))
        for rule in rules:
            self.addCleanup(self._set_log_read, rule, False)
            self._set_log_read(rule, True)
        customer.read(["name", "phone"])
        log = self.assertLogged(self.customer_a1, "read", self.rep_a1)
        self.assertEqual(set(log.line_ids.mapped("field_name")), {"name", "phone"})
        # what the web client does to open a contract
        order.web_read({"name": {}, "amount_total": {}})
        self.assertLogged(order, "read", self.rep_a1)

    def test_list_read_logs_each_row_in_one_batch(self):
        """A list of customers read with the read log on: one log per row with the values read, and
        the logging costs the same number of queries for one row or for many."""
        rule = self.env.ref("wisdom_crm_base.auditlog_rule_partner")
        self.addCleanup(self._set_log_read, rule, False)
        self._set_log_read(rule, True)
        Partner = self.env["res.partner"].with_user(self.rep_a1)
        self.env["res.partner"].create(
            [
                {
                    "name": f"读日志客户{i}",
                    "phone": f"0731-8888000{i}",
                    "is_company": True,
                    "wisdom_customer": True,
                    "user_id": self.rep_a1.id,
                }
                for i in range(4)
            ]
        )
        customers = Partner.search([("wisdom_customer", "=", True)])
        self.assertGreaterEqual(len(customers), 5)

        def read(ids):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Partner.browse(ids).read(["name", "phone"])
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        read(customers[:1].ids)  # warm the registry caches of the log
        one = read(customers[:1].ids)
        many = read(customers.ids)
        self.assertLessEqual(many, one + 1, f"reading {len(customers)} rows took {many} queries, one row {one}")
        logs = self._logs(customers, "read").filtered(lambda log: log.create_uid == self.rep_a1)
        self.assertEqual(sorted(logs.mapped("res_id")), sorted(customers.ids + customers[:1].ids * 2))
        last = logs.filtered(lambda log: log.res_id == customers[-1].id)
        self.assertEqual(set(last.line_ids.mapped("field_name")), {"name", "phone"})
        self.assertEqual(
            last.line_ids.filtered(lambda line: line.field_name == "name").old_value, customers[-1].sudo().name
        )

    # --- who may read the log ---

    def test_only_director_and_admin_read_the_log(self):
        self.customer_a1.with_user(self.rep_a1).write({"phone": "021-55555555"})
        admin = self.env.ref("base.user_admin")
        readers = {self.director, admin}
        everyone = [
            self.rep_a1,
            self.rep_b1,
            self.manager_a,
            self.director,
            self.product_manager,
            self.finance,
            self.contract_admin,
            self.integration_admin,
            admin,
        ]
        menu = self.env.ref("wisdom_crm_base.menu_wisdom_auditlog")
        for user in everyone:
            with self.subTest(user=user.login):
                Log = self.env["auditlog.log"].with_user(user)
                self.assertEqual(Log.has_access("read"), user in readers)
                self.assertEqual(self.env["auditlog.log.line"].with_user(user).has_access("read"), user in readers)
                self.assertFalse(Log.has_access("write") and user != admin)
                visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
                self.assertEqual(menu.id in visible, user in readers)
        # who, when, what
        log = (
            self.env["auditlog.log"]
            .with_user(self.director)
            .search(
                [
                    ("res_id", "=", self.customer_a1.id),
                    ("model_model", "=", "res.partner"),
                    ("user_id", "=", self.rep_a1.id),
                    ("method", "=", "write"),
                ]
            )
        )
        self.assertEqual(len(log), 1)
        self.assertTrue(log.create_date)
        self.assertEqual(log.line_ids.filtered(lambda ln: ln.field_name == "phone").new_value_text, "021-55555555")

    # --- retention ---

    def test_retention_days_from_system_parameter(self):
        cron = self.env.ref("auditlog.ir_cron_auditlog_autovacuum")
        self.assertTrue(cron.active)
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("wisdom_crm_base.audit_retention_days"), "180")
        self.customer_a1.with_user(self.rep_a1).write({"phone": "021-1"})
        self.customer_a2.with_user(self.rep_a2).write({"phone": "021-2"})
        old = self._logs(self.customer_a1, "write")
        recent = self._logs(self.customer_a2, "write")
        now = fields.Datetime.now()
        self.env.flush_all()
        for logs, age in ((old, 40), (recent, 20)):
            self.env.cr.execute(
                SQL(
                    "UPDATE auditlog_log SET create_date = %s WHERE id IN %s",
                    now - timedelta(days=age),
                    tuple(logs.ids),
                )
            )
        self.env.invalidate_all()
        params.set_param("wisdom_crm_base.audit_retention_days", "30")
        cron.sudo().ir_actions_server_id.run()
        self.assertFalse(old.exists())
        self.assertEqual(recent.exists(), recent)
