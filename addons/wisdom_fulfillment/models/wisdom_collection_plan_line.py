import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_amount

from odoo.addons.wisdom_contract.models.wisdom_payment_term_line import INSTALMENT_KINDS

from ..tools import alerts, money, money_sql

_logger = logging.getLogger(__name__)

ANCHOR_EVENTS = [
    ("signing", "Signing"),
    ("shipment", "Shipment"),
    ("acceptance", "Acceptance"),
    ("invoice", "Invoice"),
    ("warranty_end", "Warranty End"),
]
PLAN_STATES = [
    ("planned", "Planned"),
    ("due", "Due"),
    ("partial", "Partially Paid"),
    ("paid", "Paid"),
    ("overdue", "Overdue"),
    ("disposed", "Disposed"),
]
SETTLING_DISPOSALS = ("write_off", "offset", "legal")


class WisdomCollectionPlanLine(models.Model):
    _name = "wisdom.collection.plan.line"
    _description = "Collection Plan Line"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "order_id, due_date, sequence, id"
    _rec_name = "display_name"

    order_id = fields.Many2one("sale.order", string="Contract", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(
        related="order_id.partner_id.commercial_partner_id", store=True, index=True, string="Customer"
    )
    team_id = fields.Many2one(related="order_id.team_id", store=True, index=True)
    user_id = fields.Many2one("res.users", string="Responsible Rep", index=True, tracking=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    currency_id = fields.Many2one(related="order_id.currency_id", store=True)
    term_line_id = fields.Many2one("wisdom.payment.term.line", string="Instalment", ondelete="set null", index=True)
    shipment_id = fields.Many2one("wisdom.shipment.request", string="Shipment", ondelete="set null", index=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(INSTALMENT_KINDS, string="Instalment Kind", required=True)
    percent = fields.Float(string="Percent", digits=(7, 4))
    amount = fields.Monetary(string="Planned Amount", required=True, tracking=True)
    anchor_event = fields.Selection(ANCHOR_EVENTS, string="Anchor Event", required=True)
    anchor_date = fields.Date(string="Anchor Date", help="Empty until the event happens.")
    days = fields.Integer(string="Days After Event")
    due_date = fields.Date(string="Due Date", index=True, tracking=True)
    allocation_ids = fields.One2many("wisdom.collection.allocation", "plan_line_id", string="Collections")
    disposal_ids = fields.One2many("wisdom.receivable.disposal", "plan_line_id", string="Disposals")
    paid_amount = fields.Monetary(string="Collected", compute="_compute_amounts", store=True)
    disposed_amount = fields.Monetary(string="Disposed", compute="_compute_amounts", store=True)
    residual = fields.Monetary(string="Outstanding", compute="_compute_amounts", store=True)
    state = fields.Selection(PLAN_STATES, string="Status", compute="_compute_state", store=True, index=True)
    overdue_days = fields.Integer(string="Overdue Days", compute="_compute_state", store=True, aggregator="max")
    ageing_bucket = fields.Selection(
        [(key, label) for key, label, _most in money.AGEING_BUCKETS],
        string="Overdue Ageing",
        compute="_compute_state",
        store=True,
        index=True,
    )
    alert_level = fields.Integer(string="Overdue Level Alerted", readonly=True, copy=False)
    upcoming_alert_sent = fields.Boolean(string="Due Reminder Sent", readonly=True, copy=False)
    adjustment_note = fields.Char(string="Adjustment Reason", tracking=True)
    due_date_locked = fields.Boolean(
        string="Due Date Set by Hand",
        readonly=True,
        copy=False,
        help="Moved by finance or by an extension: recomputes keep this due date.",
    )
    manual_split = fields.Boolean(string="Split by Finance", readonly=True, copy=False)

    _amount_positive = models.Constraint("CHECK (amount >= 0)", "A plan line's amount cannot be negative.")
    _paid_within_amount = models.Constraint(
        "CHECK (paid_amount + disposed_amount <= amount + 0.001)",
        "A plan line cannot collect more than its amount.",
    )
    _open_lines_index = models.Index("(due_date) WHERE residual > 0")

    # COMPUTE METHODS

    @api.depends("order_id.name", "kind", "due_date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for line in self:
            line.display_name = f"{line.order_id.name or ''} {kinds.get(line.kind, '')} {line.due_date or ''}".strip()

    @api.depends(
        "amount",
        "allocation_ids.amount",
        "allocation_ids.state",
        "disposal_ids.state",
        "disposal_ids.amount",
        "disposal_ids.kind",
    )
    def _compute_amounts(self):
        for line in self:
            line.paid_amount = sum(line.allocation_ids.filtered(lambda a: a.state == "posted").mapped("amount"))
            line.disposed_amount = sum(
                line.disposal_ids.filtered(lambda d: d.state == "done" and d.kind in SETTLING_DISPOSALS).mapped(
                    "amount"
                )
            )
            line.residual = float(money.outstanding(line._wisdom_money_line()))

    @api.depends("due_date", "residual", "paid_amount", "disposed_amount")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for line in self:
            if line.residual <= 0 and line.disposed_amount > 0:
                line.state = "disposed"
            else:
                line.state = alerts.line_state(line.due_date, today, line.residual, line.paid_amount)
            money_line = line._wisdom_money_line()
            line.overdue_days = money.overdue_days(money_line, today)
            line.ageing_bucket = money.ageing_bucket(money_line, today) or False

    # CRUD

    @api.ondelete(at_uninstall=False)
    def _unlink_except_collected(self):
        if any(line.allocation_ids.filtered(lambda a: a.state == "posted") for line in self):
            raise UserError(self.env._("A plan line with collections cannot be deleted."))

    # ACTION METHODS

    def action_adjust(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "wisdom.plan.adjust.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_line_id": self.id},
        }

    def action_dispose(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "wisdom.receivable.disposal",
            "view_mode": "form",
            "target": "current",
            "context": {"default_plan_line_id": self.id, "default_amount": self.residual},
        }

    # BUSINESS METHODS: money figures (the rules live in tools/money.py)

    def _wisdom_money_line(self):
        self.ensure_one()
        return money.MoneyLine(self.amount, self.paid_amount, self.disposed_amount, self.due_date or None, self.kind)

    def _wisdom_figures(self, today=None):
        """money.Figures of these lines (today: the user's date)."""
        today = today or fields.Date.context_today(self)
        return money.figures([line._wisdom_money_line() for line in self], today)

    @api.model
    def wisdom_cash_forecast(self, domain=None):
        """Cash-in forecast (回款预测): ``[{"month": "YYYY-MM", "amount": float}]`` of the outstanding
        instalments of confirmed contracts that the user may read (optionally narrowed by ``domain``),
        by the month of their due date, in the company currency."""
        lines = self.search(
            Domain(domain or []) & Domain(money.forecast_domain()) & Domain("order_id.state", "=", "sale")
        )
        if not lines:
            return []
        self.env.flush_all()
        rows = self.env.execute_query(
            money_sql.forecast_query(
                SQL("line.id IN %s", tuple(lines.ids)), amount=SQL.identifier("line", "residual_company")
            )
        )
        return [{"month": month.strftime("%Y-%m"), "amount": float(money.quantize(amount))} for month, amount in rows]

    # BUSINESS METHODS

    def _wisdom_check_finance(self):
        if not (self.env.user.has_group("wisdom_crm_base.group_wisdom_finance") or self.env.is_superuser()):
            raise UserError(self.env._("Only finance can adjust a collection plan."))

    def _wisdom_split(self, amount, due_date, reason):
        """Split ``amount`` off this line into a new line due on ``due_date`` (finance, with a reason)."""
        self.ensure_one()
        self._wisdom_check_finance()
        if not (reason or "").strip():
            raise UserError(self.env._("Give a reason for adjusting the collection plan."))
        if (
            amount <= 0
            or self.currency_id.compare_amounts(amount, self.amount - self.paid_amount - self.disposed_amount) >= 0
        ):
            raise UserError(self.env._("The amount split off must be above zero and below the line's open amount."))
        percent = self.percent * amount / self.amount if self.amount else 0.0
        new = self.sudo().copy(
            {
                "amount": amount,
                "percent": percent,
                "due_date": due_date or self.due_date,
                "anchor_date": self.anchor_date,
                "adjustment_note": reason,
                "sequence": self.sequence + 1,
                "manual_split": True,
                "due_date_locked": bool(due_date),
            }
        )
        self.sudo().write(
            {"amount": self.amount - amount, "percent": self.percent - percent, "adjustment_note": reason}
        )
        self.order_id.message_post(
            body=self.env._(
                "Collection plan: %(amount)s split off %(line)s (due %(due)s). Reason: %(reason)s",
                amount=format_amount(self.env, amount, self.currency_id),
                line=self.display_name,
                due=new.due_date or "-",
                reason=reason,
            )
        )
        return new

    def _wisdom_move_due_date(self, due_date, reason):
        self.ensure_one()
        self._wisdom_check_finance()
        if not (reason or "").strip():
            raise UserError(self.env._("Give a reason for adjusting the collection plan."))
        self.sudo()._wisdom_set_due_date(due_date, reason)

    def _wisdom_set_due_date(self, due_date, reason):
        """Move the due date (finance adjustment or approved extension); alerts start over."""
        self.ensure_one()
        old = self.due_date
        self.write(
            {
                "due_date": due_date,
                "adjustment_note": reason,
                "alert_level": 0,
                "upcoming_alert_sent": False,
                "due_date_locked": True,
            }
        )
        self.order_id.message_post(
            body=self.env._(
                "Collection plan: %(line)s due date %(old)s → %(new)s. Reason: %(reason)s",
                line=self.display_name,
                old=old or "-",
                new=due_date or "-",
                reason=reason,
            )
        )

    def _wisdom_refresh_states(self, today):
        """Set-based daily refresh of state and overdue days of every open line."""
        self.env.flush_all()
        state = SQL(
            """CASE WHEN %(overdue)s THEN 'overdue'
                    WHEN line.paid_amount > 0 THEN 'partial'
                    WHEN line.due_date = %(today)s THEN 'due'
                    ELSE 'planned' END""",
            overdue=money_sql.is_overdue(today),
            today=today,
        )
        days = money_sql.overdue_days(today)
        bucket = money_sql.ageing_bucket(today)
        self.env.execute_query(
            SQL(
                """
            UPDATE wisdom_collection_plan_line line
               SET overdue_days = %(days)s, state = %(state)s, ageing_bucket = %(bucket)s
             WHERE %(open)s > 0 AND line.due_date IS NOT NULL
               AND (line.state IS DISTINCT FROM %(state)s OR line.overdue_days IS DISTINCT FROM %(days)s
                    OR line.ageing_bucket IS DISTINCT FROM %(bucket)s)
            """,
                days=days,
                state=state,
                bucket=bucket,
                open=money_sql.outstanding(),
            )
        )
        self.invalidate_model(["state", "overdue_days", "ageing_bucket"])
        self._wisdom_refresh_company_amounts()
