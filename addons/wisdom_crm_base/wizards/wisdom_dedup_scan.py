from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.res_users import GROUP_CONTRACT_ADMIN


class WisdomDedupScan(models.TransientModel):
    _name = "wisdom.dedup.scan"
    _description = "Duplicate Customer Scan"

    group_ids = fields.One2many("wisdom.dedup.scan.group", "scan_id", string="Duplicate Groups", readonly=True)
    group_count = fields.Integer(compute="_compute_group_count", string="Groups Found")

    @api.depends("group_ids")
    def _compute_group_count(self):
        for scan in self:
            scan.group_count = len(scan.group_ids)

    @api.model_create_multi
    def create(self, vals_list):
        scans = super().create(vals_list)
        scans._scan()
        return scans

    def _scan(self):
        """Groups of active customers sharing a credit code or a normalised name, across the database."""
        self.env["res.partner"].flush_model(["credit_code", "wisdom_name_key", "active", "wisdom_customer"])
        rows = self.env.execute_query(
            SQL("""
            SELECT 'credit_code', credit_code, array_agg(id ORDER BY id) FROM res_partner
             WHERE active AND wisdom_customer AND parent_id IS NULL AND credit_code IS NOT NULL
             GROUP BY credit_code HAVING count(*) > 1
            UNION ALL
            SELECT 'name_exact', wisdom_name_key, array_agg(id ORDER BY id) FROM res_partner
             WHERE active AND wisdom_customer AND parent_id IS NULL AND wisdom_name_key IS NOT NULL
             GROUP BY wisdom_name_key HAVING count(*) > 1
             LIMIT 1000
        """)
        )
        for scan in self:
            scan.group_ids = [fields.Command.clear()] + [
                fields.Command.create({"reason": reason, "key": key, "partner_ids": [fields.Command.set(ids)]})
                for reason, key, ids in rows
            ]


class WisdomDedupScanGroup(models.TransientModel):
    _name = "wisdom.dedup.scan.group"
    _description = "Duplicate Customer Group"

    scan_id = fields.Many2one("wisdom.dedup.scan", required=True, ondelete="cascade")
    reason = fields.Selection(
        [("credit_code", "Same credit code"), ("name_exact", "Same normalised name")], readonly=True
    )
    key = fields.Char(readonly=True)
    partner_ids = fields.Many2many("res.partner", string="Customers", readonly=True)
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers in Group")

    @api.depends("partner_ids")
    def _compute_partner_count(self):
        for group in self:
            group.partner_count = len(group.partner_ids)

    def action_merge(self):
        """Open Odoo's merge wizard on the group; the oldest customer is kept."""
        self.ensure_one()
        if not self.env.user.has_group(GROUP_CONTRACT_ADMIN) and not self.env.is_admin():
            raise UserError(self.env._("Only the contract admin merges duplicate customers."))
        partners = self.partner_ids.sorted("id")
        wizard = self.env["base.partner.merge.automatic.wizard"].create(
            {
                "partner_ids": [fields.Command.set(partners.ids)],
                "dst_partner_id": partners[0].id,
                "state": "selection",
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
