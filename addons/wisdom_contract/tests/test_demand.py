from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import WisdomContractCase


@tagged("post_install", "-at_install")
class TestDemand(WisdomContractCase):
    def _demand(self):
        with Form(self.env["wisdom.contract.demand"].with_user(self.rep_a1)) as form:
            form.partner_id = self.customer_a1
            with form.line_ids.new() as line:
                line.product_id = self.meter
                line.quantity = 100
                line.target_price = 560
            with form.line_ids.new() as line:
                line.name = "Explosion-proof terminal"
                line.specification = "Ex d IIB T4"
                line.technical_requirements = "Stainless housing, 4G"
                line.quantity = 5
                line.target_price = 3000
        return form.record

    def _todo_users(self, demand):
        return demand.activity_ids.user_id

    def test_demand_flow_end_to_end(self):
        demand = self._demand()
        self.assertTrue(demand.name.startswith("XQ-"))
        self.assertEqual(demand.team_id, self.team_a)
        demand.action_submit()
        self.assertEqual(demand.state, "pm_review")
        demand.product_manager_id = self.product_manager
        demand.contract_admin_id = self.contract_admin
        # The rep cannot do the product manager's step.
        with self.assertRaises(AccessError):
            demand.with_user(self.rep_a1).action_pm_approve()
        as_pm = demand.with_user(self.product_manager)
        standard, custom = as_pm.line_ids
        with self.assertRaisesRegex(UserError, "Decide every item"):
            as_pm.action_pm_approve()
        with self.assertRaisesRegex(UserError, "Map Explosion-proof terminal"):
            custom.action_accept()
        standard.action_accept()
        custom.action_needs_code()
        as_pm.action_pm_approve()
        self.assertEqual(demand.state, "contract_review")
        self.assertEqual(self._todo_users(demand), self.contract_admin)
        demand.with_user(self.contract_admin).action_contract_approve()
        self.assertEqual(demand.state, "coding")
        self.assertEqual(self._todo_users(demand), self.product_manager)
        with self.assertRaisesRegex(UserError, "material code"):
            as_pm.action_coding_done()
        custom.material_code = "WS-EX-4G-01"
        as_pm.action_coding_done()
        self.assertEqual(demand.state, "planned")
        self.assertEqual(custom.product_id.default_code, "WS-EX-4G-01")
        self.assertTrue(custom.product_id.wisdom_nonstandard)
        self.assertEqual(self._todo_users(demand), self.rep_a1)
        action = demand.with_user(self.rep_a1).action_create_contract()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(demand.state, "done")
        self.assertEqual(order.demand_id, demand)
        self.assertEqual(order.contract_type, "nonstandard")
        self.assertEqual(order.order_line.mapped("product_uom_qty"), [100, 5])
        self.assertEqual(order.order_line.mapped("price_unit"), [560, 3000])
        self.assertTrue(order.order_line[1].wisdom_nonstandard)
        self.assertFalse(demand.activity_ids)
        self.assertGreaterEqual(len(demand.message_ids), 5)

    def test_next_step_mail_waits_in_the_queue(self):
        """The next role's "assigned to you" e-mail is queued and the queue's run triggered: the product
        manager's approval does not send it within the request."""
        cron = self.env.ref("mail.ir_cron_mail_scheduler_action")
        triggers_before = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        demand = self._demand()
        demand.action_submit()
        demand.write({"product_manager_id": self.product_manager.id, "contract_admin_id": self.contract_admin.id})
        as_pm = demand.with_user(self.product_manager)
        standard, custom = as_pm.line_ids
        standard.action_accept()
        custom.action_needs_code()
        as_pm.action_pm_approve()
        self.assertEqual(self._todo_users(demand), self.contract_admin)
        mails = self.env["mail.mail"].search(
            [("model", "=", demand._name), ("res_id", "=", demand.id), ("state", "=", "outgoing")]
        )
        self.assertIn(self.contract_admin.partner_id, mails.recipient_ids, "the next role's e-mail, not sent yet")
        self.assertGreater(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers_before)

    def test_rejection_needs_reason_and_can_be_reworked(self):
        demand = self._demand()
        demand.action_submit()
        as_pm = demand.with_user(self.product_manager)
        with self.assertRaisesRegex(UserError, "reason"):
            as_pm.action_reject()
        as_pm.reason = "Housing material not available"
        as_pm.action_reject()
        self.assertEqual((demand.state, demand.rejected_state), ("rejected", "pm_review"))
        self.assertEqual(self._todo_users(demand), self.rep_a1)
        with self.assertRaises(UserError):
            demand.action_create_contract()
        demand.with_user(self.rep_a1).action_reset_draft()
        demand.with_user(self.rep_a1).action_submit()
        self.assertEqual(demand.state, "pm_review")

    def test_cancel_with_reason(self):
        demand = self._demand()
        with self.assertRaisesRegex(UserError, "reason"):
            demand.action_cancel()
        demand.reason = "Customer postponed the project"
        demand.with_user(self.rep_a1).action_cancel()
        self.assertEqual(demand.state, "cancel")

    def test_phone_form_has_few_required_fields_and_upload(self):
        Demand = self.env["wisdom.contract.demand"].with_user(self.rep_a1)
        arch = etree.fromstring(Demand.get_view(view_type="form")["arch"])
        fields_info = Demand.fields_get()
        top_level = {node.get("name") for node in arch.xpath("//form/sheet//field[not(ancestor::field)]")}
        required = {
            name for name in top_level if fields_info[name]["required"] and not fields_info[name].get("readonly")
        } | {node.get("name") for node in arch.xpath("//field[@required='1' or @required='True']")}
        self.assertEqual(required, {"partner_id"})
        upload = arch.xpath("//field[@name='attachment_ids']")[0]
        self.assertEqual(upload.get("widget"), "many2many_binary")
        buttons = arch.xpath("//header/button[contains(@class, 'oe_highlight')]")
        self.assertTrue(buttons)
        self.assertTrue(all("btn-lg" in b.get("class") for b in buttons))
        # A rep records a demand with only the customer and one described item.
        demand = Demand.create(
            {
                "partner_id": self.customer_a1.id,
                "line_ids": [Command.create({"name": "Meter box"})],
            }
        )
        demand.action_submit()
        self.assertEqual(demand.state, "pm_review")

    def test_demand_from_opportunity(self):
        lead = self.leads[self.rep_a1].with_user(self.rep_a1)
        lead.type = "opportunity"
        action = lead.action_wisdom_demands()
        self.assertEqual(action["view_mode"], "form")
        Demand = self.env["wisdom.contract.demand"].with_user(self.rep_a1).with_context(action["context"])
        with Form(Demand) as form:
            with form.line_ids.new() as line:
                line.name = "Meter box"
        self.assertEqual(form.record.opportunity_id, lead)
        self.assertEqual(form.record.partner_id, self.customer_a1)
        self.assertEqual(lead.wisdom_demand_count, 1)
        self.assertIn("list", lead.action_wisdom_demands()["view_mode"])
