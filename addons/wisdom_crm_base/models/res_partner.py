from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import credit_code as credit_code_tools
from .res_users import GROUP_REP

CUSTOMER_CATEGORIES = [
    ("grid", "Grid utility"),
    ("generation", "Power generation"),
    ("industrial", "Industrial & commercial"),
    ("distributor", "Distributor"),
    ("overseas", "Overseas"),
    ("other", "Other"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    wisdom_customer = fields.Boolean(
        string="CRM Customer",
        index=True,
        tracking=True,
        help="A company we sell to, kept in the Wisdom CRM customer library. Its owner and sales "
        "team decide who sees it and its contacts.",
    )
    credit_code = fields.Char(
        string="Unified Social Credit Code",
        size=18,
        index="btree_not_null",
        tracking=True,
        copy=False,
        help="18-character registration id (GB 32100-2015), checked with its check character.",
    )
    customer_category = fields.Selection(
        CUSTOMER_CATEGORIES,
        string="Customer Category",
        index=True,
        tracking=True,
    )

    # CONSTRAINT METHODS

    @api.constrains("credit_code")
    def _check_credit_code(self):
        for partner in self.filtered("credit_code"):
            try:
                credit_code_tools.validate(partner.credit_code)
            except credit_code_tools.CreditCodeError as error:
                raise ValidationError(
                    self.env._(
                        "The unified social credit code %(code)s of %(name)s is invalid: %(reason)s",
                        code=partner.credit_code,
                        name=partner.display_name,
                        reason=error,
                    )
                ) from error

    # CRUD METHODS

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._wisdom_prepare_customer_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("credit_code"):
            vals = dict(vals, credit_code=credit_code_tools.normalize(vals["credit_code"]))
        return super().write(vals)

    @api.model
    def _wisdom_prepare_customer_vals(self, vals):
        """Normalise the credit code; a customer created by a sales user belongs to that user."""
        if vals.get("credit_code"):
            vals["credit_code"] = credit_code_tools.normalize(vals["credit_code"])
        is_customer = vals.get("wisdom_customer", self.env.context.get("default_wisdom_customer"))
        if (
            is_customer
            and not vals.get("user_id")  # the form sends user_id=False explicitly
            and not self.env.context.get("default_user_id")
            and not vals.get("parent_id")
            and self.env.user.has_group(GROUP_REP)
        ):
            vals["user_id"] = self.env.uid
