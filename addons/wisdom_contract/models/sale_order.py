from odoo import fields, models
from odoo.exceptions import UserError

from ..tools import instalments as instalment_tools

CONTRACT_TYPES = [
    ("standard", "Standard"),
    ("framework", "Framework"),
    ("bid", "Bid"),
    ("nonstandard", "Non-standard"),
    ("overseas", "Overseas"),
]


class SaleOrder(models.Model):
    """The contract: its number, type, dates and commercial terms (instalments).

    The policy review and its approvals are in ``sale_order_review.py`` (``wisdom.review.mixin``),
    templates, the product annex, the archive and the ERP numbers in ``sale_order_archive.py``.
    """

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

    # MAIL HOOKS

    def _creation_message(self):
        # "销售订单 创建": worded once for the team reading the contract, in its responsible rep's
        # language, not in that of the API call or import that created it
        lang = self.user_id.lang or self.env.lang
        return super(SaleOrder, self.with_context(lang=lang))._creation_message()

    # ACTION METHODS

    def action_confirm(self):
        # The review has passed by now (sale_order_review.py): the contract gets its number.
        for order in self:
            vals = order._wisdom_contract_no_vals()
            if not order.signed_date:
                vals["signed_date"] = fields.Date.context_today(order)
            if vals:
                order.with_context(wisdom_review_deferred=True).write(vals)
        return super().action_confirm()

    # BUSINESS METHODS

    def _wisdom_instalment_tuples(self):
        self.ensure_one()
        return [(line.kind, line.percent, line.days) for line in self.payment_term_line_ids]

    def _wisdom_check_instalments(self, required=False):
        """Raise UserError when the instalments do not make a valid plan.

        Without instalments the standard payment terms (``payment_term_id``) apply, which is accepted
        unless ``required`` (submission of a contract for review).
        """
        self.ensure_one()
        message = self._wisdom_instalment_error(required=required)
        if message:
            raise UserError(message)

    def _wisdom_instalment_error(self, required=False):
        self.ensure_one()
        instalments = self._wisdom_instalment_tuples()
        if not instalments and not required:
            return False
        try:
            instalment_tools.validate(instalments)
        except instalment_tools.InstalmentError as error:
            reasons = {
                "no_instalments": self.env._("Add the payment instalments (付款条件) of %s.", self.name),
                "percent_out_of_range": self.env._(
                    "Each instalment of %s must be more than 0 %% and at most 100 %%.", self.name
                ),
                "negative_days": self.env._("Instalment days of %s cannot be negative.", self.name),
                "total_not_100": self.env._(
                    "The instalments of %(order)s total %(total)s %%; they must total 100 %%.",
                    order=self.name,
                    total=instalment_tools.total_percent(instalments),
                ),
            }
            return reasons[str(error)]
        return False

    def _wisdom_contract_no_vals(self):
        """``{"contract_no": next number of the contract type}`` when the contract has none yet."""
        self.ensure_one()
        if self.contract_no:
            return {}
        code = f"wisdom.contract.{self.contract_type}"
        number = self.env["ir.sequence"].with_company(self.company_id).next_by_code(code)
        if not number:
            raise UserError(self.env._("No contract number sequence is defined for code %s.", code))
        return {"contract_no": number}
