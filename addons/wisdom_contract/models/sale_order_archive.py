import base64

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import format_amount, format_date
from odoo.tools.pdf import merge_pdf

from ..tools import annex_pdf, template_body

# Numbers of the ERP: filled by the SAP bridge, corrected by the contract admin.
ERP_NUMBER_FIELDS = {"sap_order_no", "production_order_nos"}
ERP_NUMBER_GROUPS = ("wisdom_crm_base.group_wisdom_contract_admin", "wisdom_crm_base.group_wisdom_integration_admin")


class SaleOrder(models.Model):
    """The contract's template, product annex PDF, archive of signed documents and ERP numbers."""

    _inherit = "sale.order"

    contract_template_id = fields.Many2one("wisdom.contract.template", string="Contract Template", tracking=True)
    archive_complete = fields.Boolean(
        string="Archive Complete",
        compute="_compute_archive_complete",
        store=True,
        help="Every document required for this contract type is in the archive.",
    )
    document_ids = fields.One2many("wisdom.contract.document", "order_id", string="Archive Documents")
    missing_document_categories = fields.Char(
        string="Missing Documents",
        compute="_compute_missing_document_categories",
        help="The required documents not in the archive yet, named in the reader's language.",
    )
    sap_order_no = fields.Char(string="SAP Order No.", copy=False, index="btree_not_null", tracking=True)
    production_order_nos = fields.Char(string="Production Order Nos.", copy=False, help="Comma separated.")
    can_edit_erp_numbers = fields.Boolean(compute="_compute_can_edit_erp_numbers")

    # COMPUTE METHODS

    @api.depends("contract_type", "technical_agreement", "document_ids.category", "order_line.wisdom_nonstandard")
    def _compute_archive_complete(self):
        missing = self._wisdom_missing_categories()
        for order in self:
            order.archive_complete = not missing[order.id]

    @api.depends_context("lang")
    @api.depends("contract_type", "technical_agreement", "document_ids.category", "order_line.wisdom_nonstandard")
    def _compute_missing_document_categories(self):
        missing = self._wisdom_missing_categories()
        labels = dict(self.env["wisdom.contract.document"]._fields["category"]._description_selection(self.env))
        for order in self:
            order.missing_document_categories = ", ".join(labels[c] for c in sorted(missing[order.id]))

    def _wisdom_missing_categories(self):
        """{order id: document categories required for it and not in its archive}."""
        requirements = self.env["wisdom.contract.document.requirement"].sudo().search([("active", "=", True)])
        return {
            order.id: {r.category for r in requirements if r._applies_to(order)}
            - set(order.document_ids.mapped("category"))
            for order in self
        }

    @api.depends_context("uid")
    def _compute_can_edit_erp_numbers(self):
        allowed = self._wisdom_user_edits_erp_numbers()
        for order in self:
            order.can_edit_erp_numbers = allowed

    # ONCHANGE METHODS

    @api.onchange("contract_template_id")
    def _onchange_contract_template_id(self):
        if self.contract_template_id:
            self._wisdom_apply_template()

    # CRUD METHODS

    def write(self, vals):
        if set(vals) & ERP_NUMBER_FIELDS and not self._wisdom_user_edits_erp_numbers():
            raise AccessError(self.env._("Only the contract admin changes the SAP order and production order numbers."))
        return super().write(vals)

    # ACTION METHODS

    def action_wisdom_apply_template(self):
        """Take the template's terms and add its annex products (not yet on the contract) as lines."""
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(self.env._("The template can only be applied to a quotation (%s).", order.name))
            order._wisdom_apply_template()
        return True

    def action_wisdom_merged_annex_pdf(self):
        """Attach one PDF made of the product annex followed by the technical agreement(s)."""
        self.ensure_one()
        agreements = self._wisdom_technical_agreement_pdfs()
        if not agreements:
            raise UserError(
                self.env._("Upload the technical agreement of %s as a PDF in the archive first.", self.name)
            )
        merged = merge_pdf([self._wisdom_annex_pdf(), *agreements])
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("%s product annex and technical agreement.pdf", self.contract_no or self.name),
                "type": "binary",
                "datas": base64.b64encode(merged),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )
        self.message_post(body=self.env._("Merged annex PDF created."), attachment_ids=attachment.ids)
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    # BUSINESS METHODS

    def _wisdom_apply_template(self):
        self.ensure_one()
        template = self.contract_template_id
        if not template:
            return
        values = template._prepare_order_values()
        present = set(self.order_line.product_id.ids)
        values["order_line"] = [
            Command.create(
                {"product_id": line.product_id.id, "product_uom_qty": line.quantity, "sequence": line.sequence}
            )
            for line in template.annex_line_ids
            if line.product_id.id not in present
        ]
        if not template.instalment_ids:
            del values["payment_term_line_ids"]
        self.update(values)

    def _wisdom_body_values(self):
        """Values of the template placeholders (see wisdom.contract.template.body)."""
        self.ensure_one()
        kinds = dict(self.env["wisdom.payment.term.line"]._fields["kind"]._description_selection(self.env))
        payment_terms = "; ".join(
            f"{kinds[line.kind]} {line.percent:g}%" + (f" ({line.days})" if line.days else "")
            for line in self.payment_term_line_ids
        )
        return {
            "contract_no": self.contract_no or self.name,
            "partner_name": self.partner_id.commercial_partner_id.name,
            "company_name": self.company_id.name,
            "amount_total": format_amount(self.env, self.amount_total, self.currency_id),
            "currency": self.currency_id.name,
            "signed_date": format_date(self.env, self.signed_date) if self.signed_date else "",
            "effective_date": format_date(self.env, self.effective_date) if self.effective_date else "",
            "delivery_days": self.delivery_days,
            "delivery_date": format_date(self.env, self.delivery_date) if self.delivery_date else "",
            "warranty_months": self.warranty_months,
            "retention_percent": f"{self.retention_percent:g}",
            "credit_days": self.credit_days,
            "payment_terms": payment_terms or (self.payment_term_id.name or ""),
            "salesperson": self.user_id.name or "",
        }

    def _wisdom_contract_body(self):
        """The template body with this contract's values, for the contract PDF (trusted template HTML)."""
        self.ensure_one()
        body = self.contract_template_id.body
        if not body:
            return Markup("")
        return Markup(template_body.render(str(body), self._wisdom_body_values()))

    def _wisdom_annex_pdf(self):
        """The product annex of the contract as PDF bytes (reportlab, see tools/annex_pdf)."""
        self.ensure_one()
        lines = [
            annex_pdf.AnnexLine(
                code=line.product_id.default_code or "",
                name=line.name or line.product_id.display_name,
                quantity=line.product_uom_qty,
                uom=line.product_uom_id.name or "",
                price_unit=line.price_unit,
                subtotal=line.price_subtotal,
            )
            for line in self.order_line
            if not line.display_type
        ]
        headers = (
            self.env._("Code"),
            self.env._("Product"),
            self.env._("Quantity"),
            self.env._("Unit"),
            self.env._("Unit Price"),
            self.env._("Subtotal"),
        )
        subtitle = f"{self.contract_no or self.name} · {self.partner_id.commercial_partner_id.name}"
        return annex_pdf.render(
            self.env._("Product Annex"), subtitle, lines, self.env._("Total (untaxed)"), self.amount_untaxed, headers
        )

    def _wisdom_technical_agreement_pdfs(self):
        self.ensure_one()
        pdfs = []
        for document in self.document_ids.filtered(lambda d: d.category == "technical_agreement"):
            data = base64.b64decode(document.attachment or b"")
            if data.startswith(b"%PDF"):
                pdfs.append(data)
        return pdfs

    def _wisdom_has_technical_content(self):
        """Whether the contract carries technical items (non-standard lines) or a technical agreement."""
        self.ensure_one()
        return self.technical_agreement or any(line.wisdom_nonstandard for line in self.order_line)

    def _wisdom_user_edits_erp_numbers(self):
        """The SAP bridge (integration admin or sudo) and the contract admin write the ERP numbers."""
        return self.env.su or any(self.env.user.has_group(group) for group in ERP_NUMBER_GROUPS)
