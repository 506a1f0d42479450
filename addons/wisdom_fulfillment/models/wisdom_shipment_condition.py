from odoo import fields, models

from odoo.addons.wisdom_contract.models.sale_order import CONTRACT_TYPES

CONDITION_KINDS = [
    ("approved", "Contract approved and signed"),
    ("archive", "Signed original archived"),
    ("prepayment", "Prepayment received"),
    ("credit_limit", "Customer within credit limit"),
    ("overdue", "No overdue beyond tolerance"),
]


class WisdomShipmentCondition(models.Model):
    _name = "wisdom.shipment.condition"
    _description = "Shipping Condition"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(CONDITION_KINDS, required=True)
    contract_type = fields.Selection(
        CONTRACT_TYPES, string="Contract Type", help="Empty: applies to every contract type."
    )
    percent = fields.Float(
        string="Prepayment Received (%)",
        help="Share of the contract total that must be collected; 0: the contract's prepayment instalments in full.",
    )
    days = fields.Integer(string="Tolerated Overdue Days")
    amount = fields.Float(string="Tolerated Overdue Amount")

    _percent_range = models.Constraint(
        "CHECK (percent >= 0 AND percent <= 100)", "The prepayment percentage lies between 0 and 100."
    )

    def _wisdom_for(self, contract_type):
        return self.search(["|", ("contract_type", "=", False), ("contract_type", "=", contract_type)])
