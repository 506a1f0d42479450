from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    wisdom_floor_price = fields.Float(
        string="Floor Price",
        digits="Product Price",
        help="Lowest unit price a rep may agree without the sales director's approval; 0 means no floor.",
    )
    wisdom_standard_lead_days = fields.Integer(
        string="Standard Lead Time (Days)", help="Days from signing to delivery the factory normally needs."
    )
    wisdom_standard_warranty_months = fields.Integer(
        string="Standard Warranty (Months)",
        help="Warranty granted by policy; 0 uses the company default of the review rule.",
    )
    wisdom_nonstandard = fields.Boolean(
        string="Non-standard Item",
        help="A customised item (technical requirements of the customer): needs the product manager's review.",
    )
