from odoo import fields, models

INSTALMENT_KINDS = [
    ("prepayment", "Prepayment"),
    ("delivery", "On Delivery"),
    ("acceptance", "On Acceptance"),
    ("invoice", "On Invoice"),
    ("retention", "Retention"),
    ("custom", "Other"),
]


class WisdomPaymentTermLine(models.Model):
    _name = "wisdom.payment.term.line"
    _description = "Contract Instalment"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one("sale.order", string="Contract", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(INSTALMENT_KINDS, string="Instalment Kind", required=True, default="prepayment")
    percent = fields.Float(string="Percent", digits=(5, 2), help="Share of the contract total, in %.")
    days = fields.Integer(
        string="Days After Event", help="Days after the anchor event (signing, delivery, acceptance…)."
    )
    note = fields.Char(string="Note")
