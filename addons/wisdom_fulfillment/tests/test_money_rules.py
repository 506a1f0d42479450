import random
from datetime import date, timedelta
from decimal import Decimal

from freezegun import freeze_time
from lxml import etree

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from ..tools import money, money_sql
from .common import FulfilmentCase

SIGNED = date(2026, 3, 2)


@tagged("post_install", "-at_install")
class TestReceivableOfTheIssueContract(FulfilmentCase):
    """30 % prepayment at signing, 60 % on delivery, 10 % retention 24 months after the shipment,
    on a contract of 21,065.44: prepayment 6,319.63 (30 % = 6,319.632), delivery 12,639.26
    (60 % = 12,639.264), retention the remainder 2,106.55. Every figure is checked where finance
    reads it: the contract, the customer figures, the credit-limit and overdue facts of the
    shipping gate and the cash-in forecast."""

    def setUp(self):
        super().setUp()
        self.customer = self.env["res.partner"].create(
            {"name": "质保金测试客户 Receivable Test", "is_company": True, "user_id": self.rep_a1.id}
        )
        self.order = self._contract(
            partner_id=self.customer.id,
            qty=8,
            price=2633.18,
            warranty_months=24,
            terms=[("prepayment", 30, 0), ("delivery", 60, 0), ("retention", 10, 0)],
        )

    def _check(self, outstanding, receivable, overdue, overdue_days, retention, retention_due=False):
        order, customer = self.order, self.customer
        # the stored figures as the nightly collection run leaves them on that day
        self.env["sale.order"]._wisdom_refresh_execution_dates(date.today())
        self.env.invalidate_all()
        self.assertEqual(
            (
                order.outstanding_amount,
                order.receivable_amount,
                order.overdue_amount,
                order.overdue_days,
                order.retention_outstanding,
                order.retention_due_date,
            ),
            (outstanding, receivable, overdue, overdue_days, retention, retention_due),
        )
        figures = customer._wisdom_customer_figures()[customer.id]
        self.assertEqual(
            (figures["receivable_amount"], figures["overdue_amount"]),
            (receivable, overdue),
            "the customer figures say what the contract says",
        )
        self.assertEqual(customer._wisdom_overdue_amount(), overdue)
        facts = order._wisdom_shipment_facts()
        self.assertEqual(facts.customer_receivable, receivable, "the credit-limit check reads the same receivable")
        self.assertEqual(round(sum(amount for _days, amount in facts.overdue_lines), 2), overdue)
        self.assertEqual(max((days for days, _amount in facts.overdue_lines), default=0), overdue_days)

    def test_figures_before_and_after_each_event(self):
        lines = self._lines(self.order)
        self.assertEqual(lines.mapped("amount"), [6319.63, 12639.26, 2106.55])
        with freeze_time(SIGNED):
            # signed: the prepayment is due now; delivery and retention wait for their events
            self._check(21065.44, 6319.63, 0.0, 0, 2106.55)
        with freeze_time("2026-03-10"):
            self._check(21065.44, 6319.63, 6319.63, 8, 2106.55)
            self._collect(self.order, 6319.63, when=date(2026, 3, 10))
            self._check(14745.81, 0.0, 0.0, 0, 2106.55)
        with freeze_time("2026-04-01"):
            self._ship(self.order, 8, date(2026, 4, 1))
            # the delivery share is due; the retention is not (warranty ends 2028-04-01)
            self._check(14745.81, 12639.26, 0.0, 0, 2106.55, date(2028, 4, 1))
            self.assertEqual(
                self.Line.wisdom_cash_forecast([("order_id", "=", self.order.id)]),
                [{"month": "2026-04", "amount": 12639.26}, {"month": "2028-04", "amount": 2106.55}],
            )
        with freeze_time("2026-04-15"):
            self._check(14745.81, 12639.26, 12639.26, 14, 2106.55, date(2028, 4, 1))
            self._collect(self.order, 12639.26, when=date(2026, 4, 15))
            self._check(2106.55, 0.0, 0.0, 0, 2106.55, date(2028, 4, 1))
        with freeze_time("2028-04-01"):
            # the warranty has ended: the retention is receivable now and no longer shown apart
            self._check(2106.55, 2106.55, 0.0, 0, 0.0)
        with freeze_time("2028-05-01"):
            self._check(2106.55, 2106.55, 2106.55, 30, 0.0)
            self._collect(self.order, 2106.55, when=date(2028, 5, 1))
            self._check(0.0, 0.0, 0.0, 0, 0.0)
            self.assertEqual(self.Line.wisdom_cash_forecast([("order_id", "=", self.order.id)]), [])

    def test_disposed_amounts_leave_the_receivable(self):
        with freeze_time("2026-03-20"):
            prepayment = self._lines(self.order, "prepayment")
            disposal = (
                self.env["wisdom.receivable.disposal"]
                .with_user(self.rep_a1)
                .create({"plan_line_id": prepayment.id, "kind": "write_off", "amount": 319.63, "reason": "核销"})
            )
            disposal.with_user(self.rep_a1).request_validation()
            disposal.with_user(self.finance).validate_tier()
            disposal.with_user(self.finance).action_done()
            self._check(20745.81, 6000.0, 6000.0, 18, 2106.55)

    def test_cash_forecast_respects_who_reads(self):
        with freeze_time(SIGNED):
            self.assertEqual(
                self.Line.with_user(self.rep_a1).wisdom_cash_forecast([("order_id", "=", self.order.id)]),
                [{"month": "2026-03", "amount": 6319.63}],
            )
            self.assertEqual(
                self.Line.with_user(self.rep_b1).wisdom_cash_forecast([("order_id", "=", self.order.id)]),
                [],
                "another team's rep does not see the contract",
            )

    @property
    def Line(self):
        return self.env["wisdom.collection.plan.line"]


@tagged("post_install", "-at_install")
class TestMoneySql(FulfilmentCase):
    """The SQL builders and the search domains say what the pure rules say, on random plans."""

    def test_sql_and_domains_agree_with_the_pure_rules(self):
        rng = random.Random(20261204)
        today = date(2026, 6, 15)
        customers = self.env["res.partner"].create(
            [{"name": f"随机计划客户 {i}", "is_company": True} for i in range(4)]
        )
        orders = self.env["sale.order"]
        for customer in customers:
            for _i in range(3):
                orders |= self._contract(partner_id=customer.id, confirm=False)
        orders.write({"state": "sale"})
        orders[-1].write({"state": "cancel"})  # a cancelled contract's lines count nowhere
        Line = self.env["wisdom.collection.plan.line"]
        vals = []
        for order in orders:
            for _i in range(rng.randint(1, 6)):
                due = rng.choice(
                    [
                        None,
                        today,
                        today - timedelta(days=rng.randint(1, 400)),
                        today + timedelta(days=rng.randint(1, 800)),
                    ]
                )
                vals.append(
                    {
                        "order_id": order.id,
                        "kind": rng.choice(["prepayment", "delivery", "retention"]),
                        "anchor_event": "signing",
                        "amount": rng.choice([0, 1, 99.99, 1000, 12345.67]),
                        "due_date": due or False,
                    }
                )
        lines = Line.create(vals)
        for line in lines.filtered(lambda ln: ln.amount and rng.random() < 0.4):
            # part or all of it written off
            amount = rng.choice([line.amount, round(line.amount / 3, 2)])
            # (approval and carrying out are tested in test_disposal: here only the amount matters)
            self.env["wisdom.receivable.disposal"].create(
                {"plan_line_id": line.id, "kind": "write_off", "amount": amount, "reason": "随机", "state": "done"}
            )
        self.env.flush_all()
        counted = lines.filtered(lambda ln: ln.order_id.state == "sale")

        def pure(subset):
            return money.figures([ln._wisdom_money_line() for ln in subset], today)

        for line in lines:
            self.assertEqual(Decimal(str(line.residual)), money.outstanding(line._wisdom_money_line()))
        rows = self.env.execute_query(
            money_sql.figures_query(
                today,
                SQL("line.partner_id"),
                SQL("line.partner_id IN %s AND contract.state = 'sale'", tuple(customers.ids)),
            )
        )
        self.assertEqual(len(rows), len(customers))
        for row in rows:
            expected = pure(counted.filtered(lambda ln, p=row[0]: ln.partner_id.id == p))
            self.assertEqual(money_sql.to_figures(row[1:]), expected)
        for domain, rule in (
            (money.outstanding_domain(), lambda ln: money.outstanding(ln) > 0),
            (money.receivable_domain(today), lambda ln: money.is_receivable(ln, today)),
            (money.overdue_domain(today), lambda ln: money.is_overdue(ln, today)),
            (money.retention_pending_domain(today), lambda ln: money.is_retention_pending(ln, today)),
        ):
            found = Line.search([("id", "in", lines.ids)] + domain)
            self.assertEqual(found, lines.filtered(lambda ln, r=rule: r(ln._wisdom_money_line())), domain)
        buckets = dict(
            self.env.execute_query(
                SQL(
                    "SELECT line.id, %s FROM wisdom_collection_plan_line line WHERE line.id IN %s",
                    money_sql.ageing_bucket(today),
                    tuple(lines.ids),
                )
            )
        )
        self.assertEqual(buckets, {ln.id: money.ageing_bucket(ln._wisdom_money_line(), today) for ln in lines})
        self.assertTrue(set(buckets.values()) - {None}, "the random plans have overdue lines")
        with freeze_time(today):
            forecast = Line.wisdom_cash_forecast([("id", "in", lines.ids)])
        expected = money.forecast(ln._wisdom_money_line() for ln in counted)
        self.assertEqual(forecast, [{"month": m.strftime("%Y-%m"), "amount": float(a)} for m, a in expected.items()])
        self.assertTrue(forecast, "the random plans have something to forecast")


@tagged("post_install", "-at_install")
class TestReceivableReports(FulfilmentCase):
    """The reports' filters are the money rules: the overdue report shows exactly the overdue lines."""

    def test_report_filters_follow_the_rules(self):
        order = self._contract(
            terms=[("prepayment", 30, 0), ("delivery", 60, 0), ("retention", 10, 0)],
            order_line=[
                Command.create(
                    {
                        "product_id": self.product.id,
                        "product_uom_qty": 1,
                        "price_unit": 1000.0,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        )
        view = self.env.ref("wisdom_fulfillment.view_wisdom_plan_line_search")
        with freeze_time("2026-05-01"):
            self._ship(order, 1, date(2026, 4, 1))
            today = date(2026, 5, 1)
            for name, domain in (
                ("overdue", money.overdue_domain(today)),
                ("receivable", money.receivable_domain(today)),
                ("retention_pending", money.retention_pending_domain(today)),
            ):
                filter_domain = self._filter_domain(view, name, today)
                Line = self.env["wisdom.collection.plan.line"]
                self.assertEqual(
                    Line.search(filter_domain + [("order_id", "=", order.id)]),
                    Line.search(domain + [("order_id", "=", order.id)]),
                    name,
                )

    @staticmethod
    def _filter_domain(view, name, today):
        node = etree.fromstring(view.arch).xpath(f"//filter[@name='{name}']")[0]
        return safe_eval(node.get("domain"), {"context_today": lambda: today})
