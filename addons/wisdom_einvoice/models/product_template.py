from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import validation


class ProductTemplate(models.Model):
    _inherit = "product.template"

    einvoice_goods_code = fields.Char(
        string="Tax Classification Code",
        help="税收分类编码 (goodsCode) printed on 数电发票: digits only, at most 19.",
    )

    @api.constrains("einvoice_goods_code")
    def _check_einvoice_goods_code(self):
        for template in self.filtered("einvoice_goods_code"):
            if validation.goods_code_problem(template.einvoice_goods_code):
                raise ValidationError(
                    self.env._(
                        "%(product)s: the tax classification code %(code)s must be digits only, at most 19.",
                        product=template.display_name,
                        code=template.einvoice_goods_code,
                    )
                )
