import dataclasses
import hashlib
import json

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import sap

# Customer fields SAP keeps: a change of one of them on a customer known to SAP is sent again.
SAP_CUSTOMER_FIELDS = {"name", "street", "city", "zip", "country_id", "phone", "credit_code", "customer_code"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    sap_customer_no = fields.Char(
        string="SAP Customer No.",
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="The customer's number in SAP (KUNNR), written back when SAP created the customer. Without a "
        "customer function configured, the customer code is sent instead (external number range).",
    )

    # CRUD METHODS

    def write(self, vals):
        result = super().write(vals)
        if set(vals) & SAP_CUSTOMER_FIELDS:
            self.filtered(lambda p: p.sap_customer_no and p.is_company)._wisdom_sap_queue_customers()
        return result

    # ACTION METHODS

    def action_wisdom_sap_send_customer(self):
        """Contract admin / integration admin: create or update these customers in SAP now."""
        if not self.env["sale.order"]._wisdom_user_edits_erp_numbers():
            raise AccessError(self.env._("Only the contract admin or the integration admin sends customers to SAP."))
        if not self._wisdom_sap_queue_customers():
            raise UserError(
                self.env._("No active SAP endpoint or customer function is configured: ask the integration admin.")
            )
        return True

    # BUSINESS METHODS

    def _wisdom_sap_queue_customers(self):
        """Queue a create (no SAP number yet) or update of each customer; the same values are sent once.

        :return: the queued ``wisdom.integration.message`` records (empty without SAP configured)
        """
        Message = self.env["wisdom.integration.message"].sudo()
        endpoint = (
            self.env["wisdom.integration.endpoint"]
            .sudo()
            .search([("system", "=", "sap"), ("active", "=", True)], limit=1)
        )
        if not endpoint or not self.env["wisdom.sap.function"]._wisdom_for("customer_maintain"):
            return Message
        messages = Message
        for partner in self.sudo().commercial_partner_id:
            customer = partner._wisdom_sap_customer_values()
            digest = hashlib.sha1(json.dumps(dataclasses.asdict(customer), sort_keys=True).encode()).hexdigest()[:16]
            messages |= Message.wisdom_enqueue(
                "sap",
                "customer_maintain",
                {"partner_id": partner.id},
                record=partner,
                idempotency_key=f"res.partner:{partner.id}:{digest}",
                endpoint=endpoint,
            )
        return messages

    def _wisdom_sap_customer_values(self):
        """The customer as a ``tools.sap.Customer`` (the CRM customer code as SAP's search term, which
        the wrapper uses to find a customer it created before)."""
        self.ensure_one()
        return sap.Customer(
            name=self.name or "",
            number=self.sap_customer_no or "",
            street=self.street or "",
            city=self.city or "",
            zip=self.zip or "",
            country=self.country_id.code or "",
            phone=self.phone or "",
            tax_number=self.credit_code or "",
            search_term=self.customer_code or "",
        )

    def _wisdom_integration_done(self, message, response):
        """SAP created or updated the customer: its number is kept."""
        self.ensure_one()
        if message.system != "sap" or message.operation != "customer_maintain":
            # another bridge's answer for the same record (e.g. Qichacha's re-check of a customer)
            return super()._wisdom_integration_done(message, response)
        if response["customer"] != self.sap_customer_no:
            self.sudo().write({"sap_customer_no": response["customer"]})
        return True
