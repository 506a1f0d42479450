from odoo import api, fields, models
from odoo.fields import Command

from ..tools import amounts, validation


class WisdomInvoiceRequestLine(models.Model):
    _name = "wisdom.invoice.request.line"
    _description = "Invoice Request Line"
    _order = "request_id, sequence, id"

    request_id = fields.Many2one("wisdom.invoice.request", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Contract Line",
        required=True,
        ondelete="restrict",
        index=True,
        domain="[('order_id', '=', parent.order_id), ('display_type', '=', False)]",
    )
    blue_line_id = fields.Many2one(
        "wisdom.invoice.request.line",
        string="Reversed Line",
        readonly=True,
        index="btree_not_null",
        help="Red invoices: the line of the blue invoice.",
    )
    product_id = fields.Many2one(related="sale_line_id.product_id")
    currency_id = fields.Many2one(related="request_id.currency_id")
    name = fields.Char(
        string="Item",
        compute="_compute_from_contract_line",
        store=True,
        readonly=False,
        precompute=True,
        help="项目名称",
    )
    goods_code = fields.Char(
        string="Tax Classification Code",
        compute="_compute_from_contract_line",
        store=True,
        readonly=False,
        precompute=True,
    )
    spec = fields.Char(
        string="Specification",
        compute="_compute_from_contract_line",
        store=True,
        readonly=False,
        precompute=True,
        help="规格型号",
    )
    unit = fields.Char(compute="_compute_from_contract_line", store=True, readonly=False, precompute=True)
    quantity = fields.Float(digits="Product Unit", required=True)
    unit_price = fields.Float(
        string="Unit Price", digits="Product Price", compute="_compute_from_contract_line", store=True, precompute=True
    )
    price_includes_tax = fields.Boolean(
        string="Price Incl. Tax", compute="_compute_from_contract_line", store=True, precompute=True
    )
    tax_rate = fields.Float(
        string="Tax Rate",
        digits=(3, 2),
        compute="_compute_from_contract_line",
        store=True,
        precompute=True,
        help="0.13 for 13 %.",
    )
    amount_excl = fields.Monetary(string="Amount Excl. Tax", compute="_compute_amounts", store=True)
    amount_tax = fields.Monetary(string="Tax", compute="_compute_amounts", store=True)
    amount_incl = fields.Monetary(string="Amount Incl. Tax", compute="_compute_amounts", store=True)
    shipped_qty = fields.Float(related="sale_line_id.qty_delivered", string="Shipped")
    invoiced_qty = fields.Float(related="sale_line_id.qty_invoiced", string="Invoiced")
    invoiceable_qty = fields.Float(
        string="Shipped Not Invoiced", compute="_compute_invoiceable_qty", digits="Product Unit"
    )

    # CRUD

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.request_id._wisdom_check_editable()
        return lines

    def write(self, vals):
        self.request_id._wisdom_check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_editable(self):
        self.request_id._wisdom_check_editable()

    # COMPUTE METHODS

    @api.depends("sale_line_id")
    def _compute_from_contract_line(self):
        for line in self:
            sale_line = line.sale_line_id
            product = sale_line.product_id
            taxes = sale_line.tax_ids.filtered(lambda t: t.amount_type == "percent")
            line.name = product.name or sale_line.name
            line.goods_code = product.product_tmpl_id.einvoice_goods_code or False
            line.spec = product.default_code or False
            line.unit = sale_line.product_uom_id.name or False
            line.unit_price = sale_line.price_unit * (1 - (sale_line.discount or 0.0) / 100)
            line.price_includes_tax = bool(taxes) and all(tax.price_include for tax in taxes)
            line.tax_rate = round(sum(taxes.mapped("amount")) / 100, 4)

    @api.depends(
        "request_id.line_ids.quantity",
        "request_id.line_ids.unit_price",
        "request_id.line_ids.tax_rate",
        "request_id.line_ids.price_includes_tax",
    )
    def _compute_amounts(self):
        """Per request: the rounding of all its lines balances (``tools.amounts.compute_invoice``)."""
        for request in self.request_id:
            siblings = request.line_ids
            try:
                figures = amounts.compute_invoice(line._wisdom_amount_input() for line in siblings).lines
            except amounts.AmountError:
                figures = [None] * len(siblings)
            for line, figure in zip(siblings, figures, strict=True):
                if line not in self:
                    continue
                line.amount_excl = float(figure.amount_excl) if figure else 0.0
                line.amount_tax = float(figure.tax) if figure else 0.0
                line.amount_incl = float(figure.amount_incl) if figure else 0.0
        for line in self.filtered(lambda ln: not ln.request_id):
            line.amount_excl = line.amount_tax = line.amount_incl = 0.0

    @api.depends("sale_line_id.qty_delivered", "sale_line_id.qty_invoiced")
    def _compute_invoiceable_qty(self):
        for line in self:
            line.invoiceable_qty = line.sale_line_id._wisdom_invoiceable_qty(exclude=line.request_id)

    # BUSINESS METHODS

    def _wisdom_amount_input(self):
        return amounts.LineInput(
            amounts.to_decimal(self.quantity),
            amounts.to_decimal(self.unit_price),
            amounts.to_decimal(round(self.tax_rate, 4)),
            self.price_includes_tax,
        )

    def _wisdom_line_data(self):
        remaining = {}
        for blue in self.request_id.blue_request_id:
            remaining.update(blue._wisdom_red_remaining())
        return [
            self._wisdom_red_line_data(line, remaining) if line.blue_line_id else line._wisdom_blue_line_data()
            for line in self
        ]

    def _wisdom_red_line_data(self, line, remaining):
        """A red line may reverse what the blue line invoiced and no red reversed yet (this one included)."""
        open_qty = amounts.to_decimal(remaining.get(line.blue_line_id.id, 0) + line.quantity)
        return validation.LineData(
            name=line.name or "",
            goods_code=line.goods_code or "",
            quantity=amounts.to_decimal(line.quantity),
            unit_price=amounts.to_decimal(line.unit_price),
            tax_rate=amounts.to_decimal(round(line.tax_rate, 4)),
            invoiceable_qty=open_qty,
            open_qty=open_qty,
        )

    def _wisdom_blue_line_data(self):
        self.ensure_one()
        return validation.LineData(
            name=self.name or "",
            goods_code=self.goods_code or "",
            quantity=amounts.to_decimal(self.quantity),
            unit_price=amounts.to_decimal(self.unit_price),
            tax_rate=amounts.to_decimal(round(self.tax_rate, 4)),
            invoiceable_qty=amounts.to_decimal(self.invoiceable_qty),
            open_qty=amounts.to_decimal(
                self.sale_line_id._wisdom_invoiceable_qty(exclude=self.request_id, shipped=False)
            ),
        )

    def _wisdom_move_line_vals(self):
        """The customer invoice line mirroring this line (linked to the contract line)."""
        self.ensure_one()
        sale_line = self.sale_line_id
        return {
            "product_id": sale_line.product_id.id,
            "name": self.name,
            "quantity": self.quantity,
            "product_uom_id": sale_line.product_uom_id.id,
            "price_unit": sale_line.price_unit,
            "discount": sale_line.discount,
            "tax_ids": [Command.set(sale_line.tax_ids.ids)],
            "sale_line_ids": [Command.set(sale_line.ids)],
        }
