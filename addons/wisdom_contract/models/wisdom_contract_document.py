from odoo import api, fields, models

DOCUMENT_CATEGORIES = [
    ("bid_award", "Bid-award Notice"),
    ("signed_original", "Signed Original"),
    ("technical_agreement", "Technical Agreement"),
    ("other", "Other"),
]


class WisdomContractDocument(models.Model):
    _name = "wisdom.contract.document"
    _description = "Contract Archive Document"
    _order = "order_id, category, id"

    order_id = fields.Many2one("sale.order", string="Contract", required=True, ondelete="cascade", index=True)
    category = fields.Selection(DOCUMENT_CATEGORIES, string="Document Category", required=True, default="other")
    name = fields.Char(string="Description")
    attachment = fields.Binary(string="File", attachment=True, required=True)
    attachment_name = fields.Char(string="File Name")
    uploaded_by_id = fields.Many2one(
        "res.users", string="Uploaded By", default=lambda self: self.env.user, readonly=True
    )
    uploaded_on = fields.Datetime(string="Uploaded On", default=fields.Datetime.now, readonly=True)

    # COMPUTE METHODS

    @api.depends("category", "attachment_name")
    def _compute_display_name(self):
        labels = dict(self._fields["category"]._description_selection(self.env))
        for document in self:
            document.display_name = (
                f"{labels.get(document.category, '')} {document.name or document.attachment_name or ''}".strip()
            )
