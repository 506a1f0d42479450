from odoo import fields, models


class WisdomPoolLog(models.Model):
    _name = "wisdom.pool.log"
    _description = "Public Pool Log"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True, ondelete="cascade"
    )
    pool_id = fields.Many2one("wisdom.customer.pool", string="Public Pool", readonly=True, index=True)
    action = fields.Selection(
        [
            ("claim", "Claim"),
            ("release", "Release"),
            ("reclaim", "Automatic reclaim"),
            ("assign", "Assignment"),
            ("dispose", "Owner left"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    user_id = fields.Many2one("res.users", string="Done By", readonly=True, index=True)
    from_user_id = fields.Many2one("res.users", string="Previous Owner", readonly=True, index=True)
    to_user_id = fields.Many2one("res.users", string="New Owner", readonly=True, index=True)
    reason_id = fields.Many2one("wisdom.pool.release.reason", string="Reason", readonly=True)
    reclaim_reason = fields.Selection(
        [("no_followup", "No follow-up"), ("no_deal", "No deal")], string="Reclaimed for", readonly=True
    )
    note = fields.Text(readonly=True)
