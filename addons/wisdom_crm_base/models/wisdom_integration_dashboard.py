from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models

from ..tools import integration
from .wisdom_integration_message import STATES

TARGET_FAILURE_RATE = 0.005  # the customer's target: at most 0.5 % of calls fail
TARGET_RECOVERY_HOURS = 2.0  # and every failure is recovered within two hours


class WisdomIntegrationDashboard(models.TransientModel):
    _name = "wisdom.integration.dashboard"
    _description = "Integration Dashboard"

    failure_rate_24h = fields.Float(string="Failure Rate, 24 h (%)", compute="_compute_figures", digits=(16, 2))
    failure_rate_7d = fields.Float(string="Failure Rate, 7 days (%)", compute="_compute_figures", digits=(16, 2))
    recovery_max_hours = fields.Float(string="Longest Recovery, 7 days (h)", compute="_compute_figures", digits=(16, 2))
    dead_count = fields.Integer(string="Dead Messages", compute="_compute_figures")
    oldest_pending_at = fields.Datetime(string="Oldest Pending Message", compute="_compute_figures")
    targets_met = fields.Boolean(string="Targets Met", compute="_compute_figures")
    summary_html = fields.Html(string="Per System", compute="_compute_figures", sanitize=False)

    def _compute_display_name(self):
        # a transient record has no name of its own: the form's title would read "…,NewId_0x…"
        for dashboard in self:
            dashboard.display_name = self.env._("Integration Dashboard")

    def _compute_figures(self):
        data = self.env["wisdom.integration.message"].wisdom_dashboard_data(TARGET_RECOVERY_HOURS)
        calls = {label: sum(d[f"calls_{label}"] for d in data.values()) for label in ("24h", "7d")}
        failed = {label: sum(d[f"failed_{label}"] for d in data.values()) for label in ("24h", "7d")}
        rates = {label: (failed[label] / calls[label] * 100) if calls[label] else 0.0 for label in calls}
        recovery_max = max((d["recovery_max_hours"] for d in data.values()), default=0.0)
        pending = [d["oldest_pending"] for d in data.values() if d["oldest_pending"]]
        for dashboard in self:
            dashboard.failure_rate_24h = rates["24h"]
            dashboard.failure_rate_7d = rates["7d"]
            dashboard.recovery_max_hours = recovery_max
            dashboard.dead_count = sum(d["states"].get("dead", 0) for d in data.values())
            dashboard.oldest_pending_at = min(pending) if pending else False
            dashboard.targets_met = rates["24h"] <= TARGET_FAILURE_RATE * 100 and recovery_max <= TARGET_RECOVERY_HOURS
            dashboard.summary_html = self._wisdom_table(data)

    def _wisdom_table(self, data):
        systems = dict(self.env["wisdom.integration.endpoint"]._fields["system"]._description_selection(self.env))
        states = dict(self.env["wisdom.integration.message"]._fields["state"]._description_selection(self.env))
        headers = (
            [self.env._("System")]
            + [states[s] for s, _label in STATES]
            + [
                self.env._("Failure Rate 24 h"),
                self.env._("Failure Rate 7 days"),
                self.env._("Recoveries 7 days"),
                self.env._("Mean / Longest Recovery (h)"),
                self.env._("Oldest Pending"),
            ]
        )
        rows = []
        for system in sorted(data):
            entry = data[system]
            cells = [systems.get(system, system)] + [entry["states"].get(state, 0) for state, _label in STATES]
            cells += [
                f"{entry['failure_rate_24h'] * 100:.2f} % ({entry['failed_24h']}/{entry['calls_24h']})",
                f"{entry['failure_rate_7d'] * 100:.2f} % ({entry['failed_7d']}/{entry['calls_7d']})",
                entry["recovery_count"],
                f"{entry['recovery_mean_hours']:.2f} / {entry['recovery_max_hours']:.2f}",
                fields.Datetime.to_string(entry["oldest_pending"]) if entry["oldest_pending"] else "-",
            ]
            rows.append(Markup("<tr>%s</tr>") % Markup("").join(Markup("<td>%s</td>") % escape(c) for c in cells))
        if not rows:
            return Markup("<p>%s</p>") % self.env._("No messages yet.")
        head = Markup("").join(Markup("<th>%s</th>") % escape(h) for h in headers)
        table = Markup(
            '<table class="table table-sm table-striped"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>'
        )
        return table % (head, Markup("").join(rows))

    def action_refresh(self):
        return self.env["ir.actions.act_window"]._for_xml_id("wisdom_crm_base.action_wisdom_integration_dashboard")


class WisdomIntegrationMessage(models.Model):
    """The figures behind the dashboard, computed from the messages."""

    _inherit = "wisdom.integration.message"

    @api.model
    def wisdom_dashboard_data(self, target_hours=2.0):
        """Figures per system: messages per state, failure rate over 24 h and 7 days (failed calls /
        calls), time from first failure to recovery over 7 days, oldest pending message."""
        now = fields.Datetime.now()
        data = {}
        for system, state, count in self._read_group([], ["system", "state"], ["__count"]):
            data.setdefault(system, {"states": {}})["states"][state] = count
        for label, since in (("24h", now - timedelta(hours=24)), ("7d", now - timedelta(days=7))):
            for system, calls, failed in self._read_group(
                [("last_attempt_at", ">=", since)], ["system"], ["total_attempts:sum", "failed_attempts:sum"]
            ):
                entry = data.setdefault(system, {"states": {}})
                entry[f"calls_{label}"] = calls
                entry[f"failed_{label}"] = failed
                entry[f"failure_rate_{label}"] = integration.failure_rate(calls, failed)
        recovered = self.search_read(
            [("done_at", ">=", now - timedelta(days=7)), ("first_failure_at", "!=", False)],
            ["system", "first_failure_at", "done_at"],
        )
        oldest = self._read_group([("state", "in", ("pending", "failed"))], ["system"], ["create_date:min"])
        for system in data:
            entry = data[system]
            for label in ("24h", "7d"):
                entry.setdefault(f"calls_{label}", 0)
                entry.setdefault(f"failed_{label}", 0)
                entry.setdefault(f"failure_rate_{label}", 0.0)
            stats = integration.recovery_stats(
                [(r["first_failure_at"], r["done_at"]) for r in recovered if r["system"] == system], target_hours
            )
            entry.update(
                recovery_count=stats.count,
                recovery_mean_hours=stats.mean_hours,
                recovery_max_hours=stats.max_hours,
                recovery_within_target=stats.within_target,
            )
            entry["oldest_pending"] = next((when for s, when in oldest if s == system), False)
        return data
