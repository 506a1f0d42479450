from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import WisdomRolesCase, migration_script


@tagged("post_install", "-at_install")
class TestRoleVisibility(WisdomRolesCase):
    """Each role sees exactly its records, through every ORM entry point."""

    def _visible(self, user, model, records):
        """The subset of ``records`` that ``user`` sees through search, search_count, read_group."""
        Model = self.env[model].with_user(user)
        domain = [("id", "in", records.ids)]
        found = Model.search(domain)
        self.assertEqual(Model.search_count(domain), len(found))
        groups = Model._read_group(domain, ["user_id"] if model != "sale.order.line" else ["order_id"], ["__count"])
        self.assertEqual(sum(count for __, count in groups), len(found))
        return found

    def _expect(self, model, records_by_rep, expectations):
        records = self.env[model].browse([r.id for r in records_by_rep.values()])
        for user, reps in expectations.items():
            expected = self.env[model].browse([records_by_rep[rep].id for rep in reps])
            with self.subTest(user=user.login, model=model):
                self.assertEqual(self._visible(user, model, records), expected)

    def _sales_expectations(self):
        everyone = (self.rep_a1, self.rep_a2, self.rep_b1)
        return {
            self.rep_a1: (self.rep_a1,),
            self.rep_a2: (self.rep_a2,),
            self.rep_b1: (self.rep_b1,),
            self.manager_a: (self.rep_a1, self.rep_a2),
            self.manager_b: (self.rep_b1,),
            self.director: everyone,
            self.contract_admin: everyone,
        }

    def test_customers_by_role(self):
        expectations = self._sales_expectations()
        expectations[self.finance] = (self.rep_a1, self.rep_a2, self.rep_b1)
        expectations[self.product_manager] = (self.rep_a1, self.rep_a2, self.rep_b1)
        self._expect("res.partner", self.customers, expectations)

    def test_leads_by_role(self):
        self._expect("crm.lead", self.leads, self._sales_expectations())

    def test_orders_by_role(self):
        expectations = self._sales_expectations()
        expectations[self.finance] = (self.rep_a1, self.rep_a2, self.rep_b1)
        self._expect("sale.order", self.orders, expectations)

    def test_order_lines_follow_their_order(self):
        lines = {rep: order.order_line for rep, order in self.orders.items()}
        expectations = self._sales_expectations()
        expectations[self.finance] = (self.rep_a1, self.rep_a2, self.rep_b1)
        self._expect("sale.order.line", lines, expectations)

    def test_contacts_follow_their_company(self):
        contact = self.env["res.partner"].create({"name": "采购联系人", "parent_id": self.customer_a1.id})
        Partner = self.env["res.partner"]
        self.assertTrue(Partner.with_user(self.rep_a1).search([("id", "=", contact.id)]))
        self.assertTrue(Partner.with_user(self.manager_a).search([("id", "=", contact.id)]))
        self.assertFalse(Partner.with_user(self.rep_a2).search([("id", "=", contact.id)]))
        self.assertFalse(Partner.with_user(self.manager_b).search([("id", "=", contact.id)]))

    def test_contacts_follow_their_company_when_it_changes(self):
        """The rule reads the company's owner, pool and customer flag stored on each contact: they
        follow a change of the company's owner and a move of the contact to another company."""
        contact = self.env["res.partner"].create({"name": "设备部联系人", "parent_id": self.customer_a1.id})
        Partner = self.env["res.partner"]

        def readers():
            return {
                user
                for user in (self.rep_a1, self.rep_a2, self.rep_b1)
                if Partner.with_user(user).search([("id", "=", contact.id)])
            }

        self.assertEqual(readers(), {self.rep_a1})
        self.customer_a1.write({"user_id": self.rep_a2.id})
        self.assertEqual(readers(), {self.rep_a2})
        contact.write({"parent_id": self.customer_b1.id})
        self.assertEqual(readers(), {self.rep_b1})
        self.customer_b1.write({"wisdom_customer": False})
        self.assertEqual(readers(), {self.rep_a1, self.rep_a2, self.rep_b1})
        self.assertEqual(self._scope_mismatches(), 0, "a partner's scope columns differ from its company's")

    def test_update_fills_the_scope_columns_of_an_older_database(self):
        """The 19.0.1.2.0 pre-migration fills the four copies with SQL (the update would compute them
        partner by partner); the rule then reads them as if the ORM had written them."""
        contact = self.env["res.partner"].create({"name": "设备部联系人", "parent_id": self.customer_a1.id})
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE res_partner SET wisdom_scope_customer = NULL, wisdom_scope_user_id = NULL,
                      wisdom_scope_pool_state = NULL, wisdom_scope_pool_id = NULL"""
        )
        self.env.invalidate_all()
        self.assertGreater(self._scope_mismatches(), 0)
        self.assertTrue(
            self.env["res.partner"].with_user(self.rep_b1).search([("id", "=", contact.id)]),
            "empty copies read as a partner outside the CRM, open to every rep",
        )
        script = migration_script("wisdom_crm_base", "19.0.1.2.0", "pre-migrate")
        script.migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(self._scope_mismatches(), 0)
        self.assertTrue(self.env["res.partner"].with_user(self.rep_a1).search([("id", "=", contact.id)]))
        self.assertFalse(self.env["res.partner"].with_user(self.rep_b1).search([("id", "=", contact.id)]))
        script.migrate(self.env.cr, "19.0.1.1.0")
        self.assertEqual(self.env.cr.rowcount, 0, "run again, it changes nothing")

    def _scope_mismatches(self):
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT count(*) FROM res_partner p JOIN res_partner c ON c.id = p.commercial_partner_id
                WHERE COALESCE(p.wisdom_scope_customer, FALSE) <> COALESCE(c.wisdom_customer, FALSE)
                   OR p.wisdom_scope_user_id IS DISTINCT FROM c.user_id
                   OR p.wisdom_scope_pool_state IS DISTINCT FROM c.pool_state
                   OR p.wisdom_scope_pool_id IS DISTINCT FROM c.pool_id"""
        )
        return self.env.cr.fetchone()[0]

    def test_unassigned_records_are_not_a_reps(self):
        lead = self.env["crm.lead"].create({"name": "Unassigned lead", "user_id": False, "team_id": False})
        self.assertFalse(self.env["crm.lead"].with_user(self.rep_a1).search([("id", "=", lead.id)]))
        self.assertTrue(self.env["crm.lead"].with_user(self.director).search([("id", "=", lead.id)]))

    def test_rep_cannot_read_or_write_another_reps_customer(self):
        other = self.customer_a2.with_user(self.rep_a1)
        with self.assertRaises(AccessError):
            other.read(["name"])
        with self.assertRaises(AccessError):
            other.write({"phone": "123"})
        with self.assertRaises(AccessError):
            self.orders[self.rep_b1].with_user(self.rep_a1).read(["name"])

    def test_manager_sees_team_records_of_other_owners(self):
        # A lead of team A assigned to someone outside the team is still team A's record.
        lead = self.env["crm.lead"].create(
            {"name": "Team lead", "user_id": self.director.id, "team_id": self.team_a.id}
        )
        self.assertTrue(self.env["crm.lead"].with_user(self.manager_a).search([("id", "=", lead.id)]))
        self.assertFalse(self.env["crm.lead"].with_user(self.manager_b).search([("id", "=", lead.id)]))

    def test_team_changes_apply_at_once(self):
        Lead = self.env["crm.lead"]
        lead_b1 = self.leads[self.rep_b1]
        self.assertFalse(Lead.with_user(self.manager_a).search([("id", "=", lead_b1.id)]))
        self.team_a.member_ids |= self.rep_b1
        self.assertTrue(Lead.with_user(self.manager_a).search([("id", "=", lead_b1.id)]))

    def test_reports_are_scoped(self):
        self.env.flush_all()
        rows = self.env["sale.report"].with_user(self.rep_a1).search([("partner_id", "in", list(self.customers_ids))])
        self.assertEqual(set(rows.mapped("user_id").ids), {self.rep_a1.id})
        rows = (
            self.env["sale.report"].with_user(self.manager_a).search([("partner_id", "in", list(self.customers_ids))])
        )
        self.assertEqual(set(rows.mapped("user_id").ids), {self.rep_a1.id, self.rep_a2.id})

    @property
    def customers_ids(self):
        return [c.id for c in self.customers.values()]

    def test_shared_partners_stay_visible(self):
        Partner = self.env["res.partner"].with_user(self.rep_a1)
        vendor = self.env["res.partner"].create({"name": "Copper supplier", "is_company": True})
        visible = Partner.search([("id", "in", [self.env.company.partner_id.id, self.rep_b1.partner_id.id, vendor.id])])
        self.assertEqual(len(visible), 3)

    def test_rep_creates_own_customer(self):
        customer = (
            self.env["res.partner"]
            .with_user(self.rep_a1)
            .with_context(default_wisdom_customer=True)
            .create({"name": "新客户有限公司", "is_company": True})
        )
        self.assertEqual(customer.user_id, self.rep_a1)
        self.assertFalse(self.env["res.partner"].with_user(self.rep_a2).search([("id", "=", customer.id)]))


@tagged("post_install", "-at_install")
class TestCollaborationForReps(WisdomRolesCase):
    """Scoping customers must not break chatter, mentions, followers or Discuss."""

    def test_rep_posts_mentions_and_follows(self):
        customer = self.customer_a1.with_user(self.rep_a1)
        message = customer.message_post(
            body="请王经理看一下报价",
            partner_ids=[self.manager_a.partner_id.id],
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertIn(self.manager_a.partner_id, message.partner_ids)
        customer.message_subscribe(partner_ids=[self.rep_a2.partner_id.id])
        self.assertIn(self.rep_a2.partner_id, customer.message_partner_ids)
        # The mentioned colleague can be found by the mention autocomplete
        suggestions = self.env["res.partner"].with_user(self.rep_a1).search([("name", "ilike", "t_manager_a")])
        self.assertIn(self.manager_a.partner_id, suggestions)
        messages = (
            self.env["mail.message"]
            .with_user(self.rep_a1)
            .search([("model", "=", "res.partner"), ("res_id", "=", customer.id)])
        )
        self.assertIn(message, messages)

    def test_rep_cannot_post_on_other_reps_customer(self):
        with self.assertRaises(AccessError):
            self.customer_b1.with_user(self.rep_a1).message_post(body="hello")

    def test_rep_uses_discuss(self):
        channel = self.env["discuss.channel"].with_user(self.rep_a1)._create_channel(name="国内电网投标", group_id=None)
        channel.add_members(partner_ids=[self.rep_a2.partner_id.id, self.manager_a.partner_id.id])
        channel.with_user(self.rep_a1).message_post(body="明天开标", message_type="comment")
        chat = self.env["discuss.channel"].with_user(self.rep_a1)._get_or_create_chat([self.rep_b1.partner_id.id])
        self.assertIn(self.rep_b1.partner_id, chat.channel_member_ids.partner_id)
        self.assertEqual(len(channel.channel_member_ids), 3)
