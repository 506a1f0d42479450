from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..tools import qichacha


class WisdomQichachaLookup(models.TransientModel):
    """查企查查: search Qichacha by name or credit code, pick the company, fill the customer."""

    _name = "wisdom.qichacha.lookup"
    _description = "Qichacha Lookup"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, ondelete="cascade")
    keyword = fields.Char(string="Company Name or Credit Code", required=True)
    line_ids = fields.One2many("wisdom.qichacha.lookup.line", "wizard_id", string="Results")
    searched = fields.Boolean()
    error = fields.Char(readonly=True)

    def action_search(self):
        self.ensure_one()
        self.partner_id.check_access("write")
        keyword = (self.keyword or "").strip()
        if len(keyword) < 2:
            raise UserError(self.env._("Enter at least two characters of the company name or the credit code."))
        endpoint = self.env["res.partner"]._wisdom_qcc_endpoint_ready()
        # Sales users may not read integration messages; the lookup records its message as superuser.
        message = (
            self.env["wisdom.integration.message"]
            .sudo()
            .wisdom_send_now(
                "qichacha", "fuzzy_search", {"keyword": keyword}, record=self.partner_id, endpoint=endpoint
            )
        )
        items = (message.wisdom_response() or {}).get("items") or [] if message.state == "done" else []
        self.write(
            {
                "searched": True,
                "error": message.last_error if message.state != "done" else False,
                "line_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "key_no": item.get("KeyNo"),
                            "name": item.get("Name"),
                            "credit_code": (item.get("CreditCode") or "").upper(),
                            "legal_representative": item.get("OperName"),
                            "status": item.get("Status"),
                            "establish_date": qichacha.parse_date(item.get("StartDate")),
                            "address": item.get("Address"),
                        }
                    )
                    for item in items
                ],
            }
        )
        return self._wisdom_reopen()

    def _wisdom_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Look up on Qichacha"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _wisdom_apply(self, line):
        """Fetch the picked company's details and fill the customer (duplicate check first)."""
        self.ensure_one()
        partner = self.partner_id
        partner.check_access("write")
        # Exact duplicates are refused before a billed call is made and before anything is written.
        partner._wisdom_raise_if_exact_duplicate(
            dict(partner._wisdom_dedup_vals(), name=line.name, credit_code=line.credit_code or partner.credit_code)
        )
        endpoint = self.env["res.partner"]._wisdom_qcc_endpoint_ready()
        message = (
            self.env["wisdom.integration.message"]
            .sudo()
            .wisdom_send_now(
                "qichacha",
                "basic_details",
                {"keyword": line.credit_code or line.name},
                record=partner,
                endpoint=endpoint,
            )
        )
        company = (message.wisdom_response() or {}).get("company") if message.state == "done" else None
        if message.state != "done" or not company:
            self.error = message.last_error or self.env._("Qichacha has no details for %(name)s.", name=line.name)
            return self._wisdom_reopen()
        if not company.get("key_no"):
            company["key_no"] = line.key_no
        partner._wisdom_qcc_apply(company, source="lookup")
        return {"type": "ir.actions.act_window_close"}


class WisdomQichachaLookupLine(models.TransientModel):
    _name = "wisdom.qichacha.lookup.line"
    _description = "Qichacha Lookup Result"

    wizard_id = fields.Many2one("wisdom.qichacha.lookup", required=True, ondelete="cascade")
    key_no = fields.Char(string="KeyNo")
    name = fields.Char(string="Company")
    credit_code = fields.Char(string="Credit Code")
    legal_representative = fields.Char(string="Legal Representative")
    status = fields.Char(string="Registration Status")
    establish_date = fields.Date(string="Establishment Date")
    address = fields.Char(string="Address")
    at_risk = fields.Boolean(string="At Risk", compute="_compute_at_risk")

    def _compute_at_risk(self):
        for line in self:
            line.at_risk = qichacha.is_risk_status(line.status)

    def action_select(self):
        self.ensure_one()
        return self.wizard_id._wisdom_apply(self)
