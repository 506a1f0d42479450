from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


class WisdomSalesTarget(models.Model):
    _name = "wisdom.sales.target"
    _description = "Sales Target"
    _inherit = ["mail.thread"]
    _order = "date_from desc, team_id, user_id"

    name = fields.Char(compute="_compute_name", store=True)
    target_type = fields.Selection(
        [("user", "Sales rep"), ("team", "Sales team")], required=True, default="user", tracking=True
    )
    user_id = fields.Many2one("res.users", string="Sales Rep", index=True, tracking=True)
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index=True,
        tracking=True,
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    period_type = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")], required=True, default="month"
    )
    date_from = fields.Date(
        string="Period Start", required=True, default=lambda self: fields.Date.context_today(self).replace(day=1)
    )
    date_to = fields.Date(string="Period End", compute="_compute_date_to", store=True)
    metric = fields.Selection(
        [
            ("contract_amount", "Contract amount"),
            ("collection_amount", "Collection amount"),
            ("new_customers", "New customers"),
            ("followups", "Follow-ups"),
        ],
        required=True,
        default="contract_amount",
        tracking=True,
    )
    target_value = fields.Float(string="Target", required=True, tracking=True, aggregator="sum")
    actual_value = fields.Float(string="Actual", readonly=True, aggregator="sum")
    attainment = fields.Float(string="Attainment (%)", readonly=True, aggregator="avg")
    actual_updated_at = fields.Datetime(string="Actual Updated On", readonly=True)

    _target_positive = models.Constraint("CHECK (target_value > 0)", "The target must be greater than zero.")
    _unique_target = models.UniqueIndex(
        "(target_type, COALESCE(user_id, 0), COALESCE(team_id, 0), period_type, date_from, metric)",
        "There is already a target for this rep or team, period and measure.",
    )

    # COMPUTE METHODS

    @api.depends("user_id", "target_type")
    def _compute_team_id(self):
        for target in self:
            if target.target_type == "user" and target.user_id:
                target.team_id = target.user_id.sale_team_id

    @api.depends("date_from", "period_type")
    def _compute_date_to(self):
        for target in self:
            target.date_to = target.date_from and (
                target.date_from + relativedelta(months=PERIOD_MONTHS[target.period_type], days=-1)
            )

    @api.depends("target_type", "user_id", "team_id", "metric", "date_from", "period_type")
    def _compute_name(self):
        metrics = dict(self._fields["metric"]._description_selection(self.env))
        for target in self:
            who = target.user_id.name if target.target_type == "user" else target.team_id.name
            target.name = f"{who or ''} {metrics.get(target.metric, '')} {target.date_from or ''}".strip()

    @api.constrains("target_type", "user_id", "team_id", "date_from", "period_type")
    def _check_owner_and_period(self):
        for target in self:
            if target.target_type == "user" and not target.user_id:
                raise ValidationError(self.env._("A rep's target needs the rep."))
            if target.target_type == "team" and not target.team_id:
                raise ValidationError(self.env._("A team's target needs the team."))
            start_months = {"month": range(1, 13), "quarter": (1, 4, 7, 10), "year": (1,)}[target.period_type]
            if target.date_from.day != 1 or target.date_from.month not in start_months:
                raise ValidationError(
                    self.env._("A target period starts on the first day of a month, quarter or year.")
                )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        targets = super().create(vals_list)
        targets._wisdom_refresh_actuals()
        return targets

    # ACTIONS AND BUSINESS METHODS

    def action_refresh(self):
        self._wisdom_refresh_actuals()
        return True

    def _wisdom_user_ids(self):
        self.ensure_one()
        if self.target_type == "user":
            return self.user_id.ids
        return (self.team_id.member_ids | self.team_id.user_id).ids

    def _wisdom_refresh_actuals(self):
        now = fields.Datetime.now()
        for target in self.sudo():
            actual = target._wisdom_actual(target.metric, target._wisdom_user_ids(), target.date_from, target.date_to)
            target.write(
                {
                    "actual_value": actual,
                    "attainment": round(100.0 * actual / target.target_value, 2) if target.target_value else 0.0,
                    "actual_updated_at": now,
                }
            )

    @api.model
    def _cron_refresh_actuals(self):
        today = fields.Date.context_today(self)
        targets = self.search([("date_to", ">=", today - relativedelta(days=31)), ("date_from", "<=", today)])
        targets._wisdom_refresh_actuals()

    @api.model
    def _wisdom_actual(self, metric, user_ids, date_from, date_to):
        """Actual value of ``metric`` for the work of ``user_ids`` between the two dates (inclusive).

        This addon measures new customers and follow-ups; wisdom_contract adds 'contract_amount' and
        wisdom_fulfillment 'collection_amount' (override, handle your metric, else call super).
        """
        start = fields.Datetime.to_datetime(date_from)
        end = fields.Datetime.to_datetime(date_to) + relativedelta(days=1)
        if metric == "new_customers":
            return float(
                self.env["res.partner"]
                .sudo()
                .search_count(
                    [
                        ("wisdom_customer", "=", True),
                        ("parent_id", "=", False),
                        ("user_id", "in", user_ids),
                        ("create_date", ">=", start),
                        ("create_date", "<", end),
                    ]
                )
            )
        if metric == "followups":
            authors = self.env["res.users"].sudo().browse(user_ids).partner_id
            return float(
                self.env["mail.message"]
                .sudo()
                .search_count(
                    [
                        ("model", "in", ("res.partner", "crm.lead")),
                        ("author_id", "in", authors.ids),
                        ("date", ">=", start),
                        ("date", "<", end),
                        "|",
                        ("message_type", "=", "comment"),
                        ("mail_activity_type_id", "!=", False),
                    ]
                )
            )
        return 0.0
