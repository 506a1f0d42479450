from odoo import api, fields, models

from .sale_order import CONTRACT_TYPES
from .wisdom_payment_term_line import INSTALMENT_KINDS

DEFAULT_BODY = """<p>合同编号：{{ contract_no }}　签订日期：{{ signed_date }}</p>
<p>买方：{{ partner_name }}　卖方：{{ company_name }}</p>
<p>合同金额：{{ amount_total }} {{ currency }}（含税）。交货期：签订后 {{ delivery_days }} 天。
质保期：{{ warranty_months }} 个月，质保金 {{ retention_percent }}%。付款方式：{{ payment_terms }}。</p>"""


class WisdomContractTemplate(models.Model):
    _name = "wisdom.contract.template"
    _description = "Contract Template"
    _inherit = ["mail.thread"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    contract_type = fields.Selection(CONTRACT_TYPES, string="Contract Type", required=True, default="standard")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    body = fields.Html(
        string="Contract Body",
        default=DEFAULT_BODY,
        sanitize_attributes=False,
        help="Printed in the contract PDF. Placeholders: {{ contract_no }}, {{ partner_name }}, {{ company_name }}, "
        "{{ amount_total }}, {{ currency }}, {{ signed_date }}, {{ effective_date }}, {{ delivery_days }}, "
        "{{ delivery_date }}, {{ warranty_months }}, {{ retention_percent }}, {{ credit_days }}, {{ payment_terms }}, "
        "{{ salesperson }}.",
    )
    file_ids = fields.One2many("wisdom.contract.template.file", "template_id", string="Template Files")
    current_file_id = fields.Many2one(
        "wisdom.contract.template.file", string="Current File", compute="_compute_current_file_id"
    )
    annex_line_ids = fields.One2many("wisdom.contract.template.line", "template_id", string="Product Annex", copy=True)
    instalment_ids = fields.One2many(
        "wisdom.contract.template.instalment", "template_id", string="Default Instalments", copy=True
    )
    credit_days = fields.Integer(string="Credit Days")
    delivery_days = fields.Integer(string="Delivery Days")
    warranty_months = fields.Integer(string="Warranty (Months)", default=24)
    retention_percent = fields.Float(string="Retention %", digits=(5, 2))
    payment_term_id = fields.Many2one("account.payment.term", string="Payment Terms")

    # COMPUTE METHODS

    @api.depends("file_ids.is_current")
    def _compute_current_file_id(self):
        for template in self:
            template.current_file_id = template.file_ids.filtered("is_current")[:1]

    # BUSINESS METHODS

    def _prepare_order_values(self):
        """Values a contract takes from this template: type, default terms, instalments and annex lines."""
        self.ensure_one()
        values = {
            "contract_type": self.contract_type,
            "credit_days": self.credit_days,
            "delivery_days": self.delivery_days,
            "warranty_months": self.warranty_months,
            "retention_percent": self.retention_percent,
            "payment_term_line_ids": [fields.Command.clear()]
            + [
                fields.Command.create({"sequence": i.sequence, "kind": i.kind, "percent": i.percent, "days": i.days})
                for i in self.instalment_ids
            ],
        }
        if self.payment_term_id:
            values["payment_term_id"] = self.payment_term_id.id
        return values


class WisdomContractTemplateLine(models.Model):
    _name = "wisdom.contract.template.line"
    _description = "Contract Template Annex Product"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one("wisdom.contract.template", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", string="Product", required=True, domain=[("sale_ok", "=", True)])
    quantity = fields.Float(string="Quantity", default=1.0, digits="Product Unit")


class WisdomContractTemplateInstalment(models.Model):
    _name = "wisdom.contract.template.instalment"
    _description = "Contract Template Instalment"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one("wisdom.contract.template", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(INSTALMENT_KINDS, string="Instalment Kind", required=True, default="prepayment")
    percent = fields.Float(string="Percent", digits=(5, 2))
    days = fields.Integer(string="Days After Event")
