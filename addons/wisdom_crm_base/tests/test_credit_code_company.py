import xmlrpc.client

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from .common import WisdomRolesCase

CODE = "91350100M000100Y43"


class CreditCodeCase(WisdomRolesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grid = cls.env["res.partner"].create(
            {
                "name": "国网测试省电力有限公司",
                "is_company": True,
                "wisdom_customer": True,
                "credit_code": CODE,
                "user_id": cls.rep_b1.id,
            }
        )


@tagged("post_install", "-at_install")
class TestOneCompanyPerCreditCode(CreditCodeCase):
    def test_non_customer_company_with_a_customers_code_is_refused(self):
        Partner = self.env["res.partner"].with_user(self.rep_a1)
        with self.assertRaisesRegex(ValidationError, "already exists as 国网测试省电力有限公司 \\(owner: t_rep_b1\\)"):
            Partner.create({"name": "采购部录入的供应商", "is_company": True, "credit_code": CODE.lower()})
        vendor = Partner.create({"name": "采购部录入的供应商", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "same unified social credit code"):
            vendor.write({"credit_code": CODE})

    def test_customer_with_a_non_customers_code_is_refused(self):
        self.grid.credit_code = False
        self.env["res.partner"].create({"name": "某设备供应商有限公司", "is_company": True, "credit_code": CODE})
        with self.assertRaisesRegex(ValidationError, "某设备供应商有限公司"):
            self.env["res.partner"].with_user(self.rep_a1).create(
                {
                    "name": "新客户有限公司",
                    "is_company": True,
                    "wisdom_customer": True,
                    "credit_code": CODE,
                }
            )

    def test_two_in_one_batch_are_refused(self):
        self.grid.credit_code = False
        with self.assertRaisesRegex(ValidationError, "甲公司"):
            self.env["res.partner"].create(
                [
                    {"name": "甲公司", "is_company": True, "credit_code": CODE},
                    {"name": "乙公司", "is_company": True, "credit_code": CODE},
                ]
            )

    def test_contacts_and_archived_companies_may_share_the_code(self):
        contact = self.env["res.partner"].create({"name": "王经理", "parent_id": self.grid.id, "credit_code": CODE})
        self.assertEqual(contact.credit_code, CODE)
        self.grid.action_archive()
        self.env["res.partner"].create({"name": "重新登记的公司", "is_company": True, "credit_code": CODE})
        with self.assertRaisesRegex(ValidationError, "重新登记的公司"):
            self.grid.action_unarchive()

    def test_import_of_a_non_customer_company_is_refused(self):
        result = (
            self.env["res.partner"]
            .with_user(self.director)
            .load(
                ["name", "is_company", "credit_code"],
                [["导入的同代码公司", "1", CODE], ["导入的另一家公司", "1", ""]],
            )
        )
        self.assertFalse(result["ids"])
        errors = [m["message"] for m in result["messages"] if m["type"] == "error"]
        self.assertTrue(any("国网测试省电力有限公司" in error for error in errors), errors)


@tagged("post_install", "-at_install")
class TestOneCompanyPerCreditCodeOverRpc(HttpCase, CreditCodeCase):
    def test_integrator_script_is_refused_over_xmlrpc(self):
        db, user = self.env.cr.dbname, self.rep_a1
        uid = self.xmlrpc_common.authenticate(db, user.login, user.login, {})
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.xmlrpc_object.execute_kw(
                db,
                uid,
                user.login,
                "res.partner",
                "create",
                [
                    {"name": "接口写入的同代码公司", "is_company": True, "credit_code": CODE},
                ],
            )
        self.assertIn("already exists as 国网测试省电力有限公司", caught.exception.faultString)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "接口写入的同代码公司")]))


@tagged("post_install", "-at_install")
class TestCreditTermsByFinance(CreditCodeCase):
    def test_finance_sets_credit_days_and_limit_others_read_them(self):
        self.grid.with_user(self.finance).write({"wisdom_credit_days_allowed": 60, "credit_limit": 500000.0})
        self.assertEqual((self.grid.wisdom_credit_days_allowed, self.grid.credit_limit), (60, 500000.0))
        for user in (self.rep_b1, self.manager_b, self.director):
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "Only finance"):
                self.grid.with_user(user).write({"wisdom_credit_days_allowed": 90})
        customer = self.grid.with_user(self.rep_b1)
        self.assertEqual(customer.wisdom_credit_days_allowed, 60)
        self.assertFalse(customer.wisdom_can_edit_credit)
        self.assertTrue(self.grid.with_user(self.finance).wisdom_can_edit_credit)
        customer.write({"phone": "0731-1234567"})  # the rest of the customer stays the owner's

    def test_form_shows_credit_terms_read_only_for_a_rep(self):
        with Form(self.grid.with_user(self.rep_b1)) as form:
            self.assertEqual(form.wisdom_credit_days_allowed, 0)
            with self.assertRaises(AssertionError):
                form.wisdom_credit_days_allowed = 30
        with Form(self.grid.with_user(self.finance)) as form:
            form.wisdom_credit_days_allowed = 30
        self.assertEqual(self.grid.wisdom_credit_days_allowed, 30)
