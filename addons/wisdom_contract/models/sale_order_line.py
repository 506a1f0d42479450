from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    wisdom_nonstandard = fields.Boolean(
        string="Non-standard",
        compute="_compute_wisdom_nonstandard",
        store=True,
        readonly=False,
        precompute=True,
        help="A customised item: the product manager reviews it.",
    )
    wisdom_floor_price = fields.Float(
        related="product_id.product_tmpl_id.wisdom_floor_price", string="Floor Price", groups="base.group_user"
    )

    # COMPUTE METHODS

    @api.depends("product_id")
    def _compute_wisdom_nonstandard(self):
        for line in self:
            line.wisdom_nonstandard = line.product_id.product_tmpl_id.wisdom_nonstandard

    # CRUD METHODS

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.context.get("wisdom_review_deferred"):
            lines.order_id._wisdom_rerun_review_if_submitted()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if set(vals) & REVIEWED_LINE_FIELDS and not self.env.context.get("wisdom_review_deferred"):
            self.order_id._wisdom_rerun_review_if_submitted()
        return result

    def unlink(self):
        orders = self.order_id
        result = super().unlink()
        if not self.env.context.get("wisdom_review_deferred"):
            orders.exists()._wisdom_rerun_review_if_submitted()
        return result


REVIEWED_LINE_FIELDS = {
    "product_id",
    "product_uom_qty",
    "price_unit",
    "discount",
    "purchase_price",
    "wisdom_nonstandard",
}
