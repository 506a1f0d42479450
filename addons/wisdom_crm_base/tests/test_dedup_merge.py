from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import WisdomRolesCase


@tagged("post_install", "-at_install")
class TestDuplicateScanAndMerge(WisdomRolesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Duplicates that predate the check (e.g. migrated with the check off): written in SQL.
        cls.twins = cls.env["res.partner"].create(
            [
                {
                    "name": f"旧系统客户{i}",
                    "is_company": True,
                    "wisdom_customer": True,
                    "user_id": cls.rep_a1.id,
                    "email": f"buyer{i}@example.cn",
                }
                for i in range(5)
            ]
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE res_partner SET wisdom_name_key = '湘电旧客户', name = '湘电旧客户有限公司' WHERE id = ANY(%s)",
            [cls.twins.ids],
        )
        cls.twins.invalidate_recordset()
        cls.env["crm.lead"].create({"name": "旧商机", "partner_id": cls.twins[3].id, "user_id": cls.rep_a1.id})

    def test_scan_lists_groups_and_contract_admin_merges_all(self):
        scan = self.env["wisdom.dedup.scan"].with_user(self.contract_admin).create({})
        group = scan.group_ids.filtered(lambda g: g.key == "湘电旧客户")
        self.assertEqual(group.partner_ids, self.twins)
        self.assertEqual(group.reason, "name_exact")
        action = group.action_merge()
        wizard = self.env["base.partner.merge.automatic.wizard"].with_user(self.contract_admin).browse(action["res_id"])
        wizard.action_merge()
        self.assertEqual(self.twins.exists(), self.twins[0], "five records with different e-mails became one")
        lead = self.env["crm.lead"].search([("name", "=", "旧商机")])
        self.assertEqual(lead.partner_id, self.twins[0])

    def test_limits_stay_for_others(self):
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        with self.assertRaisesRegex(UserError, "more than 3"):
            wizard.with_user(self.director)._merge(self.twins.ids, self.twins[0])
        group = self.env["wisdom.dedup.scan"].create({}).group_ids[:1]
        with self.assertRaisesRegex(UserError, "contract admin"):
            group.with_user(self.rep_a1).action_merge()
