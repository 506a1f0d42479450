from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.wisdom_crm_base.models.res_users import GROUP_PRODUCT_MANAGER

LINE_STATES = [
    ("pending", "To Review"),
    ("accepted", "Accepted"),
    ("needs_code", "Needs New Material Code"),
    ("rejected", "Rejected"),
]


class WisdomContractDemandLine(models.Model):
    _name = "wisdom.contract.demand.line"
    _description = "Demand Item"
    _order = "demand_id, sequence, id"

    demand_id = fields.Many2one(
        "wisdom.contract.demand", string="Demand", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product", string="Product", domain=[("sale_ok", "=", True)], help="Empty for a non-standard item."
    )
    name = fields.Char(
        string="Item", required=True, compute="_compute_name", store=True, readonly=False, precompute=True
    )
    specification = fields.Char(string="Specification")
    technical_requirements = fields.Text(string="Technical Requirements")
    quantity = fields.Float(string="Quantity", default=1.0, digits="Product Unit")
    target_price = fields.Float(string="Target Price", digits="Product Price")
    line_state = fields.Selection(LINE_STATES, string="Review", default="pending", required=True)
    material_code = fields.Char(string="Material Code", copy=False)
    was_coded = fields.Boolean(string="New Material", readonly=True, copy=False)
    pm_note = fields.Char(string="Product Manager's Note")

    # COMPUTE METHODS

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.product_id and not line.name:
                line.name = line.product_id.display_name

    # ACTION METHODS (product manager, during the product manager's review)

    def action_accept(self):
        self._check_pm_step()
        missing = self.filtered(lambda line: not line.product_id)
        if missing:
            raise UserError(
                self.env._(
                    "Map %s to an existing product, or mark it as needing a new material code.",
                    ", ".join(missing.mapped("name")),
                )
            )
        self.line_state = "accepted"
        return True

    def action_needs_code(self):
        self._check_pm_step()
        self.line_state = "needs_code"
        return True

    def action_reject_line(self):
        self._check_pm_step()
        self.line_state = "rejected"
        return True

    # BUSINESS METHODS

    def _check_pm_step(self):
        if not self.env.su and not self.env.user.has_group(GROUP_PRODUCT_MANAGER):
            raise UserError(self.env._("Only a product manager reviews the items of a demand."))
        if any(line.demand_id.state != "pm_review" for line in self):
            raise UserError(self.env._("Items are reviewed while the demand is at the product manager's review."))

    def _create_coded_products(self):
        """Create the products of items coded by hand (or by PLM/SAP) and accept the items."""
        for line in self:
            product = self.env["product.product"].sudo().search([("default_code", "=", line.material_code)], limit=1)
            if not product:
                product = (
                    self.env["product.product"]
                    .sudo()
                    .create(
                        {
                            "name": line.name,
                            "default_code": line.material_code,
                            "list_price": line.target_price,
                            "sale_ok": True,
                            "type": "consu",
                            "wisdom_nonstandard": True,
                            "description_sale": "\n".join(
                                filter(None, [line.specification, line.technical_requirements])
                            ),
                        }
                    )
                )
            line.write({"product_id": product.id, "line_state": "accepted", "was_coded": True})

    def _prepare_order_line_values(self):
        self.ensure_one()
        values = {
            "product_id": self.product_id.id,
            "product_uom_qty": self.quantity,
            "wisdom_nonstandard": self.was_coded or self.product_id.wisdom_nonstandard,
        }
        if self.target_price:
            values["price_unit"] = self.target_price
        return values
