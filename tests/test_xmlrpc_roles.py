"""Role visibility as an integrator sees it: XML-RPC against the running Odoo server."""

import xmlrpc.client

from odoo.tests import HttpCase, tagged

from odoo.addons.wisdom_crm_base.tests.common import WisdomRolesCase


@tagged("post_install", "-at_install")
class TestXmlRpcRoleVisibility(HttpCase, WisdomRolesCase):
    def _rpc(self, user, model, method, *args, **kwargs):
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, user.login, user.login, {})
        self.assertEqual(uid, user.id)
        return self.xmlrpc_object.execute_kw(db, uid, user.login, model, method, list(args), kwargs)

    def _names(self, user, model, records, field="name"):
        rows = self._rpc(user, model, "search_read", [("id", "in", records.ids)], fields=[field])
        return {row[field] for row in rows}

    def test_customers_over_xmlrpc(self):
        customers = self.customer_a1 | self.customer_a2 | self.customer_b1
        self.assertEqual(self._names(self.rep_a1, "res.partner", customers), {self.customer_a1.name})
        self.assertEqual(
            self._names(self.manager_a, "res.partner", customers), {self.customer_a1.name, self.customer_a2.name}
        )
        self.assertEqual(self._names(self.director, "res.partner", customers), set(customers.mapped("name")))

    def test_orders_and_leads_over_xmlrpc(self):
        orders = self.env["sale.order"].browse([o.id for o in self.orders.values()])
        leads = self.env["crm.lead"].browse([lead.id for lead in self.leads.values()])
        self.assertEqual(self._names(self.rep_b1, "sale.order", orders), {self.orders[self.rep_b1].name})
        self.assertEqual(self._names(self.manager_b, "crm.lead", leads), {self.leads[self.rep_b1].name})
        self.assertEqual(self._names(self.finance, "sale.order", orders), set(orders.mapped("name")))
        count = self._rpc(self.manager_a, "crm.lead", "search_count", [("id", "in", leads.ids)])
        self.assertEqual(count, 2)

    def test_denied_read_is_an_rpc_fault(self):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._rpc(self.rep_a1, "res.partner", "read", [self.customer_b1.id], fields=["name"])
        self.assertEqual(caught.exception.faultCode, 4)  # odoo.exceptions.AccessError over RPC
        self.assertIn("res.partner", caught.exception.faultString)
