from odoo import api, fields, models

from .sale_order import CONTRACT_TYPES
from .wisdom_contract_document import DOCUMENT_CATEGORIES

REQUIREMENT_CONDITIONS = [
    ("always", "Always"),
    ("technical", "Only with technical items or a technical agreement"),
]


class WisdomContractDocumentRequirement(models.Model):
    _name = "wisdom.contract.document.requirement"
    _description = "Required Archive Document"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    category = fields.Selection(DOCUMENT_CATEGORIES, string="Document Category", required=True)
    contract_type = fields.Selection(
        CONTRACT_TYPES, string="Contract Type", help="Empty: the document is required for every contract type."
    )
    condition = fields.Selection(REQUIREMENT_CONDITIONS, string="Condition", required=True, default="always")

    # CRUD METHODS

    @api.model_create_multi
    def create(self, vals_list):
        requirements = super().create(vals_list)
        requirements._recompute_archives()
        return requirements

    def write(self, vals):
        result = super().write(vals)
        self._recompute_archives()
        return result

    def unlink(self):
        result = super().unlink()
        self._recompute_archives()
        return result

    # BUSINESS METHODS

    def _recompute_archives(self):
        """A changed requirement changes which contracts have a complete archive."""
        orders = self.env["sale.order"].sudo().search([("state", "!=", "cancel")])
        self.env.add_to_compute(orders._fields["archive_complete"], orders)

    def _applies_to(self, order):
        self.ensure_one()
        if self.contract_type and order.contract_type != self.contract_type:
            return False
        if self.condition == "technical":
            return order._wisdom_has_technical_content()
        return True
