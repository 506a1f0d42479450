from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import integration
from .res_users import GROUP_INTEGRATION_ADMIN

SYSTEMS = [
    ("qichacha", "Qichacha"),
    ("einvoice", "E-invoice"),
    ("sap", "SAP"),
    ("mes", "MES"),
    ("plm", "PLM"),
    ("oa", "OA"),
    ("wecom", "WeCom"),
]

BUDGET_TZ = ZoneInfo("Asia/Shanghai")

# Credential fields: only the integration admin reads or writes them; never exported or tracked.
CREDENTIAL_FIELDS = ("api_key", "api_secret", "username", "password")


class WisdomIntegrationEndpoint(models.Model):
    _name = "wisdom.integration.endpoint"
    _description = "Integration Endpoint"
    _inherit = ["mail.thread"]
    _order = "system, sequence, id"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    system = fields.Selection(SYSTEMS, required=True, index=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    base_url = fields.Char(string="Base URL", required=True, tracking=True)
    timeout = fields.Integer(
        string="Timeout (s)",
        default=10,
        required=True,
        tracking=True,
        help="Seconds a call may take before it is abandoned and retried later.",
    )
    max_attempts = fields.Integer(
        string="Maximum Attempts",
        default=integration.DEFAULT_MAX_ATTEMPTS,
        required=True,
        tracking=True,
        help="Attempts of one message before it is dead and waits for the integration admin.",
    )
    retry_base_delay = fields.Integer(
        string="First Retry After (s)",
        default=integration.DEFAULT_BASE_DELAY,
        required=True,
        tracking=True,
        help="Each further retry waits twice as long as the previous one.",
    )
    retry_max_delay = fields.Integer(
        string="Longest Retry Delay (s)",
        default=integration.DEFAULT_MAX_DELAY,
        required=True,
        tracking=True,
    )
    daily_budget = fields.Integer(
        string="Daily Call Budget",
        default=0,
        tracking=True,
        help="Most calls per day made by scheduled jobs (0: no limit). Interactive lookups are counted too.",
    )
    calls_today = fields.Integer(string="Calls Today", compute="_compute_calls_today")
    message_count = fields.Integer(string="Exchanged Messages", compute="_compute_message_counts")
    dead_message_count = fields.Integer(string="Dead Messages", compute="_compute_message_counts")
    note = fields.Text(string="Notes")

    api_key = fields.Char(string="Key / App ID", groups=GROUP_INTEGRATION_ADMIN, copy=False, exportable=False)
    api_secret = fields.Char(string="Secret", groups=GROUP_INTEGRATION_ADMIN, copy=False, exportable=False)
    username = fields.Char(string="User Name", groups=GROUP_INTEGRATION_ADMIN, copy=False, exportable=False)
    password = fields.Char(string="Password", groups=GROUP_INTEGRATION_ADMIN, copy=False, exportable=False)

    _check_retry_policy = models.Constraint(
        "CHECK (timeout > 0 AND max_attempts > 0 AND retry_base_delay >= 0 AND retry_max_delay >= 0)",
        "Timeout and maximum attempts must be positive, retry delays not negative.",
    )

    # CRUD METHODS

    def export_data(self, fields_to_export):
        """Credentials never leave through an export, not even for the integration admin."""
        refused = [f for f in fields_to_export if f.replace("/", ".").split(".")[0] in CREDENTIAL_FIELDS]
        if refused:
            raise UserError(self.env._("Credentials cannot be exported: %(fields)s", fields=", ".join(refused)))
        return super().export_data(fields_to_export)

    # COMPUTE METHODS

    @api.model
    def _wisdom_day_start(self):
        """Start (UTC, naive) of the current day in China, when the providers' daily limits reset."""
        local = datetime.now(BUDGET_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
        return local.astimezone(UTC).replace(tzinfo=None)

    def _compute_calls_today(self):
        start = self._wisdom_day_start()
        Message = self.env["wisdom.integration.message"].sudo()
        groups = dict(
            Message._read_group(
                [("endpoint_id", "in", self.ids), ("last_attempt_at", ">=", start)],
                ["endpoint_id"],
                ["total_attempts:sum"],
            )
        )
        for endpoint in self:
            endpoint.calls_today = groups.get(endpoint, 0)

    def _compute_message_counts(self):
        Message = self.env["wisdom.integration.message"].sudo()
        counts = {}
        for endpoint, state, count in Message._read_group(
            [("endpoint_id", "in", self.ids)], ["endpoint_id", "state"], ["__count"]
        ):
            counts.setdefault(endpoint, {})[state] = count
        for endpoint in self:
            by_state = counts.get(endpoint, {})
            endpoint.message_count = sum(by_state.values())
            endpoint.dead_message_count = by_state.get("dead", 0)

    # ACTIONS

    def action_view_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("wisdom_crm_base.action_wisdom_integration_message")
        action["domain"] = [("endpoint_id", "=", self.id)]
        action["context"] = {"search_default_dead": 1} if self.env.context.get("dead_only") else {}
        return action

    def action_test_connection(self):
        """Send the system's ``test_connection`` operation (or a plain GET of the base URL) now."""
        self.ensure_one()
        message = (
            self.env["wisdom.integration.message"]
            .sudo()
            .wisdom_send_now(self.system, "test_connection", {"base_url": self.base_url}, endpoint=self)
        )
        ok = message.state == "done"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if ok else "danger",
                "sticky": not ok,
                "title": self.env._("Connection works") if ok else self.env._("Connection failed"),
                "message": self.env._(
                    "HTTP status %(status)s in %(ms)s ms.", status=message.http_status or "-", ms=message.duration_ms
                )
                if ok
                else (message.last_error or ""),
            },
        }

    # BUSINESS METHODS

    @api.model
    def _wisdom_get(self, system):
        """The active endpoint of ``system`` (sudo), or a clear error for the user."""
        endpoint = self.sudo().search([("system", "=", system), ("active", "=", True)], limit=1)
        if not endpoint:
            label = dict(self._fields["system"]._description_selection(self.env)).get(system, system)
            raise UserError(
                self.env._(
                    "No active %(system)s endpoint is configured. Ask the integration admin to set it up "
                    "under Wisdom CRM > Integrations > Endpoints.",
                    system=label,
                )
            )
        return endpoint

    def _wisdom_policy(self):
        self.ensure_one()
        return integration.RetryPolicy(
            max_attempts=self.max_attempts, base_delay=self.retry_base_delay, max_delay=self.retry_max_delay
        )

    def _wisdom_secrets(self):
        """Credential values, so that redaction also removes them from free text."""
        self.ensure_one()
        endpoint = self.sudo()
        return [endpoint[name] for name in CREDENTIAL_FIELDS if endpoint[name]]

    def _wisdom_budget_left(self):
        """Calls still allowed today for scheduled work (None: no budget)."""
        self.ensure_one()
        if not self.daily_budget:
            return None
        self.invalidate_recordset(["calls_today"])
        return max(self.daily_budget - self.calls_today, 0)

    def _wisdom_http_test(self, message):
        """Default connection test: a GET of the base URL; any answer below 500 means reachable."""
        try:
            response = requests.get(self.base_url, timeout=self.timeout)
        except requests.exceptions.RequestException as error:
            raise integration.TransientError(str(error)) from error
        message.http_status = response.status_code
        if response.status_code >= 500:
            raise integration.TransientError(f"HTTP {response.status_code}", http_status=response.status_code)
        return {"http_status": response.status_code}
