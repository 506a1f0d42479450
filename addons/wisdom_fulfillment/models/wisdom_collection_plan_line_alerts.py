import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import alerts, money_sql

_logger = logging.getLogger(__name__)

ALERT_BATCH = 1000


class WisdomCollectionPlanLine(models.Model):
    """The daily collection alerts of the instalments: due, overdue (1/30/90 days) and retention
    activities scheduled once, escalated to the manager and the director."""

    _inherit = "wisdom.collection.plan.line"

    @api.model
    def _cron_collection_alerts(self):
        """Daily: refresh states and the contracts' execution figures that change with the date, then
        schedule due, overdue (1/30/90 days) and retention activities once."""
        today = fields.Date.context_today(self)
        self._wisdom_refresh_states(today)
        self.env["sale.order"]._wisdom_refresh_execution_dates(today)
        params = self.env["ir.config_parameter"].sudo()
        upcoming_days = int(params.get_param("wisdom_fulfillment.upcoming_days", 7))
        retention_days = int(params.get_param("wisdom_fulfillment.retention_days", 30))
        levels = tuple(
            sorted(
                int(x) for x in params.get_param("wisdom_fulfillment.overdue_levels", "1,30,90").split(",") if x.strip()
            )
        )
        horizon = today + timedelta(days=max(upcoming_days, retention_days))
        rows = self.env.execute_query(
            SQL(
                """
            SELECT line.id, line.kind, line.due_date, %(open)s, line.alert_level, line.upcoming_alert_sent
              FROM wisdom_collection_plan_line line
             WHERE %(open)s > 0 AND line.due_date IS NOT NULL AND line.due_date <= %(horizon)s
               AND (line.due_date >= %(today)s AND line.upcoming_alert_sent IS NOT TRUE
                    OR line.due_date <= %(first_level)s AND COALESCE(line.alert_level, 0) < %(top_level)s)
            """,
                open=money_sql.outstanding(),
                horizon=horizon,
                today=today,
                first_level=today - timedelta(days=levels[0]),
                top_level=levels[-1],
            )
        )
        todo = alerts.alerts_for(
            [alerts.AlertLine(r[0], r[1], r[2], float(r[3]), r[4] or 0, bool(r[5])) for r in rows],
            today,
            levels,
            upcoming_days,
            retention_days,
        )
        for start in range(0, len(todo), ALERT_BATCH):
            batch = todo[start : start + ALERT_BATCH]
            try:
                with self.env.cr.savepoint():
                    self.browse([a.line_id for a in batch])._wisdom_send_alerts(batch)
            except Exception:
                # one bad batch must not stop the others nor make the scheduler give up on the job
                _logger.exception("Collection alerts: batch of lines %s failed", [a.line_id for a in batch])
            if self.env.context.get("ir_cron_progress_id"):
                # run by the scheduler: commit each batch so that a failure keeps what was sent
                self.env["ir.cron"]._commit_progress(len(batch), remaining=len(todo) - start - len(batch))
        return len(todo)

    def _wisdom_send_alerts(self, batch):
        activity_type = self.env.ref("wisdom_fulfillment.mail_activity_collection_alert")
        finance = self.env.ref("wisdom_crm_base.group_wisdom_finance").all_user_ids.filtered(lambda u: not u.share)
        director = self.env.ref("wisdom_crm_base.group_wisdom_director").all_user_ids.filtered(lambda u: not u.share)[
            :1
        ]
        lines = {line.id: line for line in self.sudo()}
        activity_vals, levels_sent, upcoming_sent = [], {}, []
        for alert in batch:
            line = lines[alert.line_id]
            rep = line.user_id or line.order_id.user_id
            if alert.alert == "overdue":
                users = [line._wisdom_escalation_user(alert.escalation, rep, director)]
                summary = self.env._("Overdue %(days)s days: %(line)s", days=alert.level, line=line.display_name)
                levels_sent.setdefault(alert.level, []).append(line.id)
            else:
                users = [rep] + (list(finance) if alert.alert == "retention" else [])
                if alert.alert == "retention":
                    summary = self.env._(
                        "Retention due on %(date)s: %(line)s", date=line.due_date, line=line.display_name
                    )
                else:
                    summary = self.env._(
                        "Collection due on %(date)s: %(line)s", date=line.due_date, line=line.display_name
                    )
                upcoming_sent.append(line.id)
            for user in {u.id: u for u in users if u}.values():
                activity_vals.append(
                    {
                        "activity_type_id": activity_type.id,
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_id": line.id,
                        "user_id": user.id,
                        "summary": summary,
                        "date_deadline": line.due_date
                        if line.due_date and alert.alert != "overdue"
                        else fields.Date.context_today(self),
                    }
                )
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(activity_vals)
        # what was sent, in a few statements rather than one write per line
        for level, ids in levels_sent.items():
            self.env.execute_query(
                SQL("UPDATE wisdom_collection_plan_line SET alert_level = %s WHERE id IN %s", level, tuple(ids))
            )
        if upcoming_sent:
            self.env.execute_query(
                SQL(
                    "UPDATE wisdom_collection_plan_line SET upcoming_alert_sent = TRUE WHERE id IN %s",
                    tuple(upcoming_sent),
                )
            )
        self.invalidate_recordset(["alert_level", "upcoming_alert_sent"])

    def _wisdom_escalation_user(self, escalation, rep, director):
        """Level 0: the rep; 1: the team's manager; 2: a sales director (falling back upwards)."""
        self.ensure_one()
        manager = self.team_id.user_id
        if escalation >= 2:
            return director[:1] or manager or rep
        if escalation == 1:
            return manager or director[:1] or rep
        return rep
