from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common import WisdomRolesCase


@tagged("post_install", "-at_install")
class TestCustomerDedup(WisdomRolesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grid = cls.env["res.partner"].create(
            {
                "name": "国网测试省电力有限公司",
                "is_company": True,
                "wisdom_customer": True,
                "credit_code": "91350100M000100Y43",
                "phone": "+86 731 8888 1234",
                "user_id": cls.rep_b1.id,
            }
        )

    def _new(self, user, **vals):
        vals = {"is_company": True, "wisdom_customer": True, **vals}
        return self.env["res.partner"].with_user(user).create(vals)

    def test_customer_code_from_sequence(self):
        other = self._new(self.rep_a1, name="湘江配电服务有限公司")
        self.assertTrue(self.grid.customer_code.startswith("KH"))
        self.assertTrue(other.customer_code.startswith("KH"))
        self.assertNotEqual(other.customer_code, self.grid.customer_code)

    def test_exact_name_variant_blocked_for_a_rep_who_cannot_see_it(self):
        with self.assertRaisesRegex(ValidationError, "t_rep_b1"):
            self._new(self.rep_a1, name="国网测试省电力（有限责任公司）")

    def test_same_credit_code_blocked_on_create_and_write(self):
        with self.assertRaises(ValidationError):
            self._new(self.rep_a1, name="完全不同的名字有限公司", credit_code="91350100m000100y43")
        other = self._new(self.rep_a1, name="完全不同的名字有限公司")
        with self.assertRaises(ValidationError):
            other.write({"credit_code": "91350100M000100Y43"})

    def test_invalid_credit_code_is_explained(self):
        with self.assertRaisesRegex(ValidationError, "check character"):
            self._new(self.rep_a1, name="校验码错误有限公司", credit_code="91350100M000100Y44")

    def test_import_is_checked_too(self):
        result = (
            self.env["res.partner"]
            .with_user(self.rep_a1)
            .load(
                ["name", "is_company", "wisdom_customer"],
                [["国网测试省电力有限公司", "1", "1"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertTrue(any(m["type"] == "error" for m in result["messages"]))

    def test_similar_customers_are_listed_with_score_and_reasons(self):
        matches = (
            self.env["res.partner"]
            .with_user(self.rep_a1)
            .wisdom_check_duplicates(
                {
                    "name": "国网测试电力公司",
                    "phone": "0731-88881234",
                }
            )
        )
        self.assertEqual(matches[0]["id"], self.grid.id)
        self.assertFalse(matches[0]["blocking"])
        self.assertGreaterEqual(matches[0]["score"], 0.6)
        self.assertEqual(set(matches[0]["reasons"]), {"name_similar", "phone"})
        self.assertEqual(matches[0]["owner"], "t_rep_b1")

    def test_threshold_is_configurable(self):
        self.env["ir.config_parameter"].sudo().set_param("wisdom_crm_base.dedup_threshold", "0.99")
        self.assertFalse(self.env["res.partner"].wisdom_check_duplicates({"name": "国网测试电力公司"}))

    def test_name_prefilter_is_configurable_and_scoped_to_the_check(self):
        """A name pg_trgm scores 0.35 (bigram score 0.65: above the 0.6 threshold) is not looked at
        with the default prefilter (0.36), and is with pg_trgm's own 0.3; the session's threshold
        is the same after the check as before."""
        Partner = self.env["res.partner"]
        existing = self._new(self.rep_a1, name="长沙威胜电气设备销售工程科技中心有限公司")
        variant = {"name": "长沙威明电气设施销售工程科技中间站"}
        self.env.execute_query(SQL("SELECT set_config('pg_trgm.similarity_threshold', '0.5', true)"))
        self.assertNotIn(existing.id, [m["id"] for m in Partner.wisdom_check_duplicates(variant)])
        [(after,)] = self.env.execute_query(SQL("SHOW pg_trgm.similarity_threshold"))
        self.assertEqual(after, "0.5")
        self.env["ir.config_parameter"].sudo().set_param("wisdom_crm_base.dedup_name_prefilter", "0.3")
        matches = Partner.wisdom_check_duplicates(variant)
        self.assertEqual(matches[0]["id"], existing.id)
        self.assertEqual(matches[0]["reasons"], ["name_similar"])

    def test_name_index_takes_new_customers_at_once(self):
        """No pending list for the trigram index of names: a bulk load's searches would read it through."""
        [(options,)] = self.env.execute_query(
            SQL("SELECT reloptions FROM pg_class WHERE relname = %s", "res_partner__wisdom_name_key_index")
        )
        self.assertIn("fastupdate=off", options or [])

    def test_form_shows_the_warning_while_typing(self):
        form = Form(self.env["res.partner"].with_user(self.rep_a1).with_context(default_wisdom_customer=True))
        form.company_type = "company"
        form.name = "国网测试电力公司"
        self.assertIn("国网测试省电力有限公司", form.wisdom_duplicate_warning)
        self.assertIn("t_rep_b1", form.wisdom_duplicate_warning)
        self.assertNotIn(f"/odoo/res.partner/{self.grid.id}", form.wisdom_duplicate_warning, "rep_a1 may not open it")
        form = Form(self.env["res.partner"].with_user(self.rep_b1).with_context(default_wisdom_customer=True))
        form.company_type = "company"
        form.name = "国网测试电力公司"
        self.assertIn(f"/odoo/res.partner/{self.grid.id}", form.wisdom_duplicate_warning, "the owner may open it")

    def test_warning_while_editing_not_when_opening(self):
        """Opening a saved customer runs no duplicate search; renaming it in the form does."""
        mine = self.env["res.partner"].create(
            {"name": "国网测试电力公司", "is_company": True, "wisdom_customer": True, "user_id": self.rep_b1.id}
        )
        mine = mine.with_user(self.rep_b1)
        mine.invalidate_recordset()
        before = self.env.cr.sql_log_count
        self.assertFalse(mine.wisdom_duplicate_warning)
        self.assertLessEqual(self.env.cr.sql_log_count - before, 1, "opening the form searched for duplicates")
        form = Form(mine)
        form.name = "国网测试省电力公司"
        self.assertIn("国网测试省电力有限公司", form.wisdom_duplicate_warning)

    def test_lead_company_is_checked_against_customers(self):
        lead = (
            self.env["crm.lead"]
            .with_user(self.rep_a1)
            .create(
                {
                    "name": "集中器招标",
                    "partner_name": "国网测试省电力公司",
                }
            )
        )
        self.assertIn("国网测试省电力有限公司", lead.wisdom_duplicate_warning)

    def test_lead_conversion_creates_a_crm_customer(self):
        lead = (
            self.env["crm.lead"]
            .with_user(self.rep_a1)
            .create(
                {
                    "name": "配电终端询价",
                    "partner_name": "株洲新能配电有限公司",
                    "contact_name": "李工",
                }
            )
        )
        lead._handle_partner_assignment(create_missing=True)
        company = lead.partner_id.commercial_partner_id
        self.assertTrue(company.wisdom_customer)
        self.assertEqual(company.user_id, self.rep_a1)
        self.assertTrue(company.customer_code)

    def test_mass_conversion_creates_the_customers_of_one_by_one_conversion_in_one_batch(self):
        def leads(suffix):
            return (
                self.env["crm.lead"]
                .with_user(self.rep_a1)
                .create(
                    [
                        {
                            "name": f"配电终端询价{suffix}",
                            "partner_name": f"株洲新能配电{suffix}有限公司",
                            "contact_name": "李工",
                        },
                        {"name": f"电表招标{suffix}", "partner_name": f"湘潭电表{suffix}有限公司"},
                        {"name": f"集中器{suffix}", "email_from": f"王工{suffix} <wang{suffix}@example.com>"},
                        {"name": f"互感器{suffix}"},
                    ]
                )
            )

        def shape(lead):
            partner, company = lead.partner_id, lead.partner_id.commercial_partner_id
            return (
                partner.name.replace("一", "").replace("二", ""),
                partner.is_company,
                company.name.replace("一", "").replace("二", ""),
                company.wisdom_customer,
                company.user_id,
                bool(company.customer_code),
                bool(company.pool_id),
            )

        one_by_one, batch = leads("一"), leads("二")
        for lead in one_by_one:  # 104 queries here
            lead._handle_partner_assignment(create_missing=True)
        with self.assertQueryCount(__system__=60):  # 56 here: one create per kind of partner
            batch._handle_partner_assignment(create_missing=True)
        self.assertEqual([shape(lead) for lead in batch], [shape(lead) for lead in one_by_one])
        self.assertEqual(len(batch.partner_id), 4)
        self.assertEqual(len(set(batch.partner_id.commercial_partner_id.mapped("customer_code"))), 4)

    def test_trigram_index_scores_chinese(self):
        self.assertTrue(self.env["res.partner"]._wisdom_trigram_scores_cjk())
