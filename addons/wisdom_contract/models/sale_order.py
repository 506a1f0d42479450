from odoo import api, fields, models

CONTRACT_TYPES = [
    ("standard", "Standard"),
    ("framework", "Framework"),
    ("bid", "Bid"),
    ("nonstandard", "Non-standard"),
    ("overseas", "Overseas"),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    contract_no = fields.Char(
        string="Contract No.",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Numbered from the sequence of the contract type when the contract is submitted or confirmed.",
    )
    contract_type = fields.Selection(
        CONTRACT_TYPES, string="Contract Type", default="standard", required=True, tracking=True
    )
    contract_template_id = fields.Many2one("wisdom.contract.template", string="Contract Template", tracking=True)
    demand_id = fields.Many2one("wisdom.contract.demand", string="Demand", index="btree_not_null", copy=False)
    signed_date = fields.Date(
        string="Signing Date",
        copy=False,
        tracking=True,
        help="Set to the confirmation date when empty at confirmation.",
    )
    effective_date = fields.Date(string="Effective Date", copy=False)
    payment_term_line_ids = fields.One2many("wisdom.payment.term.line", "order_id", string="Instalments", copy=True)
    credit_days = fields.Integer(string="Credit Days", tracking=True)
    delivery_days = fields.Integer(string="Delivery Days", tracking=True, help="Days after signing.")
    delivery_date = fields.Date(string="Contractual Delivery Date", tracking=True)
    warranty_months = fields.Integer(string="Warranty (Months)", tracking=True)
    retention_percent = fields.Float(string="Retention %", digits=(5, 2), tracking=True)
    technical_agreement = fields.Boolean(string="Technical Agreement", tracking=True)
    archive_complete = fields.Boolean(
        string="Archive Complete",
        compute="_compute_archive_complete",
        store=True,
        help="Every document required for this contract type is in the archive.",
    )
    document_ids = fields.One2many("wisdom.contract.document", "order_id", string="Archive Documents")
    missing_document_categories = fields.Char(
        string="Missing Documents", compute="_compute_archive_complete", store=True
    )
    sap_order_no = fields.Char(string="SAP Order No.", copy=False, index="btree_not_null", tracking=True)
    production_order_nos = fields.Char(string="Production Order Nos.", copy=False, help="Comma separated.")

    # COMPUTE METHODS

    @api.depends("contract_type", "technical_agreement", "document_ids.category", "order_line.product_id")
    def _compute_archive_complete(self):
        requirements = self.env["wisdom.contract.document.requirement"].sudo().search([("active", "=", True)])
        labels = dict(self.env["wisdom.contract.document"]._fields["category"]._description_selection(self.env))
        for order in self:
            present = set(order.document_ids.mapped("category"))
            missing = {r.category for r in requirements if r._applies_to(order)} - present
            order.archive_complete = not missing
            order.missing_document_categories = ", ".join(labels[c] for c in sorted(missing))

    # BUSINESS METHODS

    def _wisdom_has_technical_content(self):
        """Whether the contract carries technical items (non-standard products) or a technical agreement."""
        self.ensure_one()
        return self.technical_agreement or any(
            line.product_id.product_tmpl_id.wisdom_nonstandard for line in self.order_line
        )
