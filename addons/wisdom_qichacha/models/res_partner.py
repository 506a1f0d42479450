from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools import qichacha

DEFAULT_SYNC_AGE_DAYS = 30
DEFAULT_SYNC_BATCH = 50
SYNC_OPERATION = "sync_details"


class ResPartner(models.Model):
    _inherit = "res.partner"

    qcc_key_no = fields.Char(
        string="Qichacha KeyNo",
        copy=False,
        index="btree_not_null",
        readonly=True,
        help="Qichacha's id of the company, kept to re-check it later.",
    )
    qcc_legal_representative = fields.Char(string="Legal Representative")
    qcc_registered_capital = fields.Char(string="Registered Capital")
    qcc_establish_date = fields.Date(string="Establishment Date")
    qcc_status = fields.Char(
        string="Registration Status", help="As registered with the market regulator, e.g. 存续, 吊销."
    )
    qcc_business_scope = fields.Text(string="Business Scope")
    qcc_registration_authority = fields.Char(string="Registration Authority")
    qcc_sync_date = fields.Datetime(string="Qichacha Sync Date", copy=False, readonly=True, index=True)
    qcc_filled = fields.Boolean(string="Filled from Qichacha", copy=False, readonly=True)
    qcc_filled_fields = fields.Char(string="Fields Filled from Qichacha", copy=False, readonly=True)
    qcc_at_risk = fields.Boolean(
        string="Registration at Risk",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        help="Qichacha reports the company as revoked, cancelled, suspended or in liquidation.",
    )
    qcc_risk_activity_id = fields.Many2one("mail.activity", string="Risk Activity", copy=False, readonly=True)

    # ACTIONS

    def action_wisdom_qcc_lookup(self):
        """Open the Qichacha lookup (查企查查) for this customer."""
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Look up on Qichacha"),
            "res_model": "wisdom.qichacha.lookup",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id, "default_keyword": self.credit_code or self.name or ""},
        }

    # BUSINESS METHODS

    @api.model
    def _wisdom_qcc_field_labels(self):
        return {
            "name": self.env._("Name"),
            "credit_code": self.env._("Unified Social Credit Code"),
            "qcc_legal_representative": self.env._("Legal Representative"),
            "qcc_registered_capital": self.env._("Registered Capital"),
            "qcc_establish_date": self.env._("Establishment Date"),
            "qcc_status": self.env._("Registration Status"),
            "street": self.env._("Address"),
            "qcc_business_scope": self.env._("Business Scope"),
            "qcc_registration_authority": self.env._("Registration Authority"),
            "qcc_key_no": self.env._("Qichacha KeyNo"),
        }

    @api.model
    def _wisdom_qcc_vals(self, company):
        """Partner values of a company answered by Qichacha (dict of ``qichacha.Company`` fields)."""
        vals = {
            "name": company.get("name"),
            "credit_code": company.get("credit_code"),
            "qcc_legal_representative": company.get("legal_representative"),
            "qcc_registered_capital": company.get("registered_capital"),
            "qcc_establish_date": company.get("establish_date") or False,
            "qcc_status": company.get("status"),
            "street": company.get("address"),
            "qcc_business_scope": company.get("business_scope"),
            "qcc_registration_authority": company.get("registration_authority"),
            "qcc_key_no": company.get("key_no"),
        }
        return {key: value for key, value in vals.items() if value}

    def _wisdom_qcc_apply(self, company, source="lookup"):
        """Write Qichacha's data; post changes (sync) and flag risky registration states.

        The duplicate check runs on the new values before anything is written, so an exact duplicate
        raises the usual clear error and leaves the customer untouched.
        """
        self.ensure_one()
        vals = self._wisdom_qcc_vals(company)
        labels = self._wisdom_qcc_field_labels()
        self._wisdom_raise_if_exact_duplicate(dict(self._wisdom_dedup_vals(), **vals))
        changes = []
        for name, value in vals.items():
            old = self[name]
            new = fields.Date.to_date(value) if name == "qcc_establish_date" else value
            if (old or False) != (new or False):
                changes.append((labels[name], old, new))
        old_status = self.qcc_status or ""
        new_status = vals.get("qcc_status", old_status)
        at_risk = qichacha.is_risk_status(new_status)
        self.write(
            dict(
                vals,
                qcc_sync_date=fields.Datetime.now(),
                qcc_filled=True,
                qcc_filled_fields=", ".join(labels[name] for name in vals),
                qcc_at_risk=at_risk,
            )
        )
        if source == "sync" and changes:
            self._wisdom_qcc_post_changes(changes)
        if at_risk and new_status != old_status:
            self._wisdom_qcc_flag_risk(old_status, new_status)
        return changes

    def _wisdom_qcc_post_changes(self, changes):
        lines = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._("%(field)s: %(old)s → %(new)s", field=label, old=old or "-", new=new or "-")
            for label, old, new in changes
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (self.env._("Qichacha registration data changed:"), lines)
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _wisdom_qcc_flag_risk(self, old_status, new_status):
        self.message_post(
            body=self.env._(
                "Qichacha reports the registration status %(new)s (before: %(old)s): the customer is flagged as "
                "at risk.",
                new=new_status,
                old=old_status or "-",
            ),
            subtype_xmlid="mail.mt_note",
        )
        if self.qcc_risk_activity_id.exists():
            return
        activity = self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Customer registration at risk: %(status)s", status=new_status),
            note=self.env._("Check open contracts, deliveries and receivables of this customer."),
            user_id=(self.user_id or self.env.user).id,
        )
        self.sudo().qcc_risk_activity_id = activity

    def _wisdom_integration_done(self, message, response):
        """Answer of a scheduled re-check (operation ``sync_details``)."""
        if message.system != "qichacha" or message.operation != SYNC_OPERATION:
            return super()._wisdom_integration_done(message, response)  # another bridge's answer
        company = (response or {}).get("company")
        if company:
            self._wisdom_qcc_apply(company, source="sync")
        else:
            self.qcc_sync_date = fields.Datetime.now()
            self.message_post(
                body=self.env._(
                    "Qichacha found no company for %(keyword)s.", keyword=message.wisdom_payload().get("keyword")
                ),
                subtype_xmlid="mail.mt_note",
            )

    # CRON

    @api.model
    def _cron_wisdom_qcc_sync(self):
        """Queue re-checks of customers whose Qichacha data is older than the configured age, in a
        batch that stays within the endpoint's daily call budget."""
        params = self.env["ir.config_parameter"].sudo()
        age = int(params.get_param("wisdom_qichacha.sync_age_days", DEFAULT_SYNC_AGE_DAYS))
        batch = int(params.get_param("wisdom_qichacha.sync_batch_size", DEFAULT_SYNC_BATCH))
        self.env["wisdom.qichacha.cache"]._wisdom_gc()
        endpoint = (
            self.env["wisdom.integration.endpoint"]
            .sudo()
            .search([("system", "=", "qichacha"), ("active", "=", True)], limit=1)
        )
        if not endpoint or not endpoint.api_key or not endpoint.api_secret:
            return self.browse()
        Message = self.env["wisdom.integration.message"].sudo()
        queued = Message.search(
            [
                ("system", "=", "qichacha"),
                ("operation", "=", SYNC_OPERATION),
                ("res_model", "=", "res.partner"),
                ("state", "in", ("pending", "running", "failed")),
            ]
        )
        budget = endpoint._wisdom_budget_left()
        if budget is not None:
            batch = min(batch, max(budget - len(queued), 0))
        if batch <= 0:
            return self.browse()
        cutoff = fields.Datetime.now() - timedelta(days=age)
        partners = self.sudo().search(
            Domain("wisdom_customer", "=", True)
            & Domain("parent_id", "=", False)
            & Domain("credit_code", "!=", False)
            & (Domain("qcc_sync_date", "=", False) | Domain("qcc_sync_date", "<", cutoff))
            & Domain("id", "not in", queued.mapped("res_id")),
            order="qcc_sync_date ASC NULLS FIRST, id",
            limit=batch,
        )
        today = fields.Date.context_today(self)
        for partner in partners:
            Message.wisdom_enqueue(
                "qichacha",
                SYNC_OPERATION,
                {"keyword": partner.credit_code},
                record=partner,
                endpoint=endpoint,
                idempotency_key=f"sync:{partner.id}:{today}",
            )
        return partners

    @api.model
    def _wisdom_qcc_endpoint_ready(self):
        endpoint = self.env["wisdom.integration.endpoint"]._wisdom_get("qichacha")
        if not endpoint.api_key or not endpoint.api_secret:
            raise UserError(
                self.env._(
                    "Qichacha is not configured yet: the integration admin must enter the AppKey and SecretKey "
                    "bought on the Qichacha open platform."
                )
            )
        return endpoint
