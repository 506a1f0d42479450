from odoo.fields import Command

from odoo.addons.wisdom_crm_base.tests.common import WisdomRolesCase


class WisdomContractCase(WisdomRolesCase):
    """Roles of wisdom_crm_base plus review rules of our own (the demo rules are archived) and
    products with a floor price, a standard lead time and a non-standard item."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["wisdom.review.rule"].search([]).action_archive()
        Rule = cls.env["wisdom.review.rule"]
        cls.rule_floor = Rule.create({"name": "Floor price", "check_type": "price_floor", "role": "director"})
        cls.rule_nonstandard = Rule.create(
            {"name": "Technical items", "check_type": "nonstandard", "role": "product_manager"}
        )
        cls.rule_credit = Rule.create({"name": "Credit days", "check_type": "credit_days", "role": "finance"})
        cls.rule_overdue_block = Rule.create(
            {"name": "Large overdue", "check_type": "overdue", "threshold": 10000, "outcome": "block"}
        )
        cls.category = cls.env["product.category"].create({"name": "Meters"})
        cls.meter = cls.env["product.product"].create(
            {
                "name": "Three-phase meter",
                "categ_id": cls.category.id,
                "list_price": 600.0,
                "standard_price": 380.0,
                "wisdom_floor_price": 500.0,
                "wisdom_standard_lead_days": 30,
            }
        )
        cls.custom = cls.env["product.product"].create(
            {
                "name": "Custom terminal",
                "categ_id": cls.category.id,
                "list_price": 2000.0,
                "standard_price": 1200.0,
                "wisdom_nonstandard": True,
            }
        )

    def _contract(self, rep=None, lines=None, **values):
        rep = rep or self.rep_a1
        vals = {
            "partner_id": self.customers[rep].id,
            "user_id": rep.id,
            "team_id": self.team_a.id if rep != self.rep_b1 else self.team_b.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": qty, "price_unit": price})
                for product, qty, price in (lines or [(self.meter, 10, 600.0)])
            ],
            "payment_term_line_ids": [
                Command.create({"kind": "prepayment", "percent": 30}),
                Command.create({"kind": "delivery", "percent": 60, "days": 30}),
                Command.create({"kind": "retention", "percent": 10, "days": 30}),
            ],
        }
        vals.update(values)
        return self.env["sale.order"].with_user(rep).create(vals)
