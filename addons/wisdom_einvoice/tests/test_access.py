from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SHIPPED, EinvoiceCase


@tagged("post_install", "-at_install")
class TestAccess(EinvoiceCase):
    """Rep: own contracts; manager: the teams led; director, finance, contract admin: all (contract
    admin read only); integration admin: none. Only finance issues."""

    def _requests(self):
        self._ship(self.order_a1, 5, SHIPPED)
        self._ship(self.order_b1, 5, SHIPPED)
        return self._request(self.order_a1), self._request(self.order_b1)

    def _visible(self, user):
        return self.Request.with_user(user).search([("id", "in", self._all.ids)])

    def setUp(self):
        super().setUp()
        self.order_a1 = self._vat_contract(rep=self.rep_a1)
        self.order_b1 = self._vat_contract(rep=self.rep_b1)
        self.req_a1, self.req_b1 = self._requests()
        self._all = self.req_a1 | self.req_b1

    def test_rep_sees_and_edits_own_only(self):
        self.assertEqual(self._visible(self.rep_a1), self.req_a1)
        self.assertEqual(self._visible(self.rep_a2), self.Request)
        with self.assertRaises(AccessError):
            self.req_b1.with_user(self.rep_a1).read(["name"])
        with self.assertRaises(AccessError):
            self.req_b1.line_ids.with_user(self.rep_a1).read(["quantity"])
        with self.assertRaises(AccessError):
            self.Request.with_user(self.rep_a1).create({"order_id": self.order_b1.id})
        self.req_a1.with_user(self.rep_a1).write({"clerk": "张三"})
        with self.assertRaisesRegex(UserError, "Only finance"):
            self.req_a1.with_user(self.rep_a1).action_issue()

    def test_manager_sees_the_team(self):
        self.assertEqual(self._visible(self.manager_a), self.req_a1)
        self.assertEqual(self._visible(self.manager_b), self.req_b1)

    def test_director_sees_all(self):
        self.assertEqual(self._visible(self.director), self._all)

    def test_finance_sees_all_and_issues(self):
        self.assertEqual(self._visible(self.finance), self._all)
        self.req_b1.with_user(self.finance).action_submit()
        self.assertTrue(self.req_b1.with_user(self.finance).action_issue())
        self.assertEqual(self.req_b1.state, "issuing")

    def test_contract_admin_reads_only(self):
        self.assertEqual(self._visible(self.contract_admin), self._all)
        with self.assertRaises(AccessError):
            self.req_a1.with_user(self.contract_admin).write({"clerk": "x"})

    def test_others_have_no_access(self):
        for user in (self.integration_admin, self.product_manager):
            with self.assertRaises(AccessError):
                self.Request.with_user(user).search([])
