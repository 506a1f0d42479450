from datetime import date

from odoo.fields import Command

from odoo.addons.wisdom_crm_base.tests.common import WisdomRolesCase

SIGNED = date(2026, 3, 2)


class FulfilmentCase(WisdomRolesCase):
    """Roles and teams of wisdom_crm_base, a tax-free product and contracts with instalments.

    The contract review rules are archived so that contracts confirm without approvals: the review
    itself is tested in wisdom_contract."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "wisdom.review.rule" in cls.env:
            cls.env["wisdom.review.rule"].search([]).action_archive()
        cls.env["tier.definition"].search([("model", "=", "sale.order")]).action_archive()
        cls.product = cls.env["product.product"].create(
            {
                "name": "Smart meter DTZ",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
                "invoice_policy": "order",
                "type": "consu",
            }
        )
        cls.conditions = cls.env["wisdom.shipment.condition"].search([])

    def _contract(self, rep=None, qty=10, price=100.0, terms=None, confirm=True, **values):
        rep = rep or self.rep_a1
        terms = terms or [("prepayment", 30, 10), ("delivery", 60, 30), ("retention", 10, 0)]
        vals = {
            "partner_id": self.customers[rep].id,
            "user_id": rep.id,
            "team_id": (self.team_b if rep == self.rep_b1 else self.team_a).id,
            "signed_date": SIGNED,
            "warranty_months": 12,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.product.id,
                        "product_uom_qty": qty,
                        "price_unit": price,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
            "payment_term_line_ids": [
                Command.create({"kind": kind, "percent": percent, "days": days, "sequence": i})
                for i, (kind, percent, days) in enumerate(terms)
            ],
        }
        vals.update(values)
        order = self.env["sale.order"].create(vals)
        if confirm:
            order.action_confirm()
        return order

    def _payment(self, order, amount, user=None, when=None):
        payment = (
            self.env["account.payment"]
            .with_user(user or self.finance)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": order.partner_id.id,
                    "amount": amount,
                    "date": when or SIGNED,
                }
            )
        )
        payment.action_post()
        return payment

    def _collect(self, order, amount, user=None, when=None):
        """A payment allocated FIFO and confirmed by finance."""
        payment = self._payment(order, amount, user, when)
        payment.with_user(user or self.finance).action_wisdom_suggest_allocation()
        payment.with_user(user or self.finance).action_wisdom_confirm_allocation()
        return payment

    def _ship(self, order, qty, when):
        request = (
            self.env["wisdom.shipment.request"]
            .with_user(order.user_id)
            .create(
                {
                    "order_id": order.id,
                    "line_ids": [Command.create({"sale_line_id": order.order_line[0].id, "quantity": qty})],
                }
            )
        )
        # the shipping conditions are tested in test_shipment: here the director lets it through
        request.with_user(self.director).action_override("测试发货")
        request.with_user(self.director).action_approve()
        request.line_ids.shipped_qty = qty
        request.with_user(order.user_id).action_confirm_shipped(ship_date=when)
        return request

    @staticmethod
    def _lines(order, kind=None):
        lines = order.plan_line_ids.sorted(lambda ln: (ln.sequence, ln.due_date or date.max, ln.id))
        return lines.filtered(lambda ln: ln.kind == kind) if kind else lines
