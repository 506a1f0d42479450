from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import Form, tagged
from odoo.tools import SQL

from odoo.addons.wisdom_crm_base.tests.common import migration_script

from .common import SIGNED, FulfilmentCase

FIGURES = (
    "shipped_percent",
    "invoiced_percent",
    "collected_percent",
    "overdue_amount",
    "retention_due_amount",
    "execution_state",
)


@tagged("post_install", "-at_install")
class TestExecutionFigures(FulfilmentCase):
    """The contract's execution figures are stored: they follow shipments, invoices, collections,
    plan changes and the nightly run, and contracts can be searched, sorted and grouped by them."""

    def _stored(self, order):
        """The figures as the database holds them (not a value computed on read)."""
        self.env.flush_all()
        columns = SQL(", ").join(SQL.identifier(name) for name in FIGURES)
        [row] = self.env.execute_query(SQL("SELECT %s FROM sale_order WHERE id = %s", columns, order.id))
        return dict(zip(FIGURES, row, strict=True))

    def _invoice(self, order, user=None):
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(user or self.finance)
            .with_context(active_model="sale.order", active_ids=order.ids, active_id=order.id)
        )
        with Form(wizard) as form:
            form.advance_payment_method = "delivered"
        form.record.create_invoices()
        invoice = order.invoice_ids.filtered(lambda m: m.state == "draft")
        invoice.with_user(user or self.finance).action_post()
        return invoice

    def test_figures_follow_the_events(self):
        with freeze_time(SIGNED):
            order = self._contract(terms=[("prepayment", 30, 0), ("delivery", 60, 0), ("retention", 10, 0)])
            self.assertEqual(
                self._stored(order),
                {
                    "shipped_percent": 0.0,
                    "invoiced_percent": 0.0,
                    "collected_percent": 0.0,
                    "overdue_amount": 0,
                    "retention_due_amount": 0,
                    "execution_state": "not_started",
                },
            )
        with freeze_time("2026-03-10"):
            # nothing happened but the date: the nightly run makes the prepayment overdue
            self.assertEqual(self._stored(order)["overdue_amount"], 0)
            self.env["wisdom.collection.plan.line"]._cron_collection_alerts()
            self.assertEqual(self._stored(order)["overdue_amount"], 300)
            self._collect(order, 300.0, when=date(2026, 3, 10))
            self.assertEqual(self._stored(order)["overdue_amount"], 0, "a collection clears it at once")
            self.assertEqual(self._stored(order)["collected_percent"], 30.0)
        with freeze_time("2026-04-01"):
            self._ship(order, 4, date(2026, 4, 1))
            stored = self._stored(order)
            self.assertEqual((stored["shipped_percent"], stored["execution_state"]), (40.0, "shipping"))
            self._ship(order, 6, date(2026, 4, 1))
            self.assertEqual(self._stored(order)["execution_state"], "invoicing")
            self._invoice(order)
            stored = self._stored(order)
            self.assertEqual((stored["invoiced_percent"], stored["execution_state"]), (100.0, "collecting"))
            self._collect(order, 600.0, when=date(2026, 4, 1))
            self.assertEqual(self._stored(order)["execution_state"], "retention")
        with freeze_time("2027-04-02"):
            # retention falls due at the warranty's end (12 months after the last shipment)
            self.env["wisdom.collection.plan.line"]._cron_collection_alerts()
            stored = self._stored(order)
            self.assertEqual((stored["retention_due_amount"], stored["overdue_amount"]), (100, 100))
            self._collect(order, 100.0, when=date(2027, 4, 2))
            self.assertEqual(self._stored(order)["execution_state"], "closed")

    def test_quotation_figures_are_not_read(self):
        """A new quotation has nothing shipped, invoiced or planned: its figures are zero without
        reading the execution from the database. A contract set back to quotation after a shipment
        still shows what was shipped."""
        Order = type(self.env["sale.order"])
        with (
            freeze_time(SIGNED),
            patch.object(
                Order, "_wisdom_execution_facts", autospec=True, side_effect=Order._wisdom_execution_facts
            ) as facts,
        ):
            quotation = self._contract(confirm=False)
            self.assertEqual(self._stored(quotation)["execution_state"], "not_started")
            self.assertEqual(self._stored(quotation)["shipped_percent"], 0.0)
            self.assertFalse(facts.called, "a new quotation's figures were read from the database")
            order = self._contract(terms=[("delivery", 100, 0)])
            self._ship(order, 4, date(2026, 4, 1))
            order._action_cancel()
            order.action_draft()
            self.assertEqual(order.state, "draft")
            self.assertEqual(self._stored(order)["shipped_percent"], 40.0)
            self.assertTrue(facts.called)

    def test_plan_change_moves_the_figures(self):
        with freeze_time("2026-05-01"):
            order = self._contract(terms=[("prepayment", 30, 0), ("acceptance", 70, 0)])
            self.env["wisdom.collection.plan.line"]._cron_collection_alerts()
            self.assertEqual(order.overdue_amount, 300.0)
            prepayment = self._lines(order, "prepayment")
            prepayment.with_user(self.finance)._wisdom_move_due_date(date(2026, 6, 1), "客户申请延期")
            self.assertEqual(self._stored(order)["overdue_amount"], 0, "a moved due date is no longer overdue")
            order.write({"acceptance_date": date(2026, 4, 1)})
            self.assertEqual(self._stored(order)["overdue_amount"], 700, "the acceptance instalment fell due")

    def test_grouped_by_status_and_sorted_by_overdue(self):
        with freeze_time(SIGNED):
            small = self._contract(terms=[("prepayment", 10, 0), ("delivery", 90, 0)])
            large = self._contract(terms=[("prepayment", 50, 0), ("delivery", 50, 0)])
            waiting = self._contract(terms=[("delivery", 100, 0)])
            self._ship(waiting, 5, SIGNED)
        with freeze_time("2026-04-01"):
            self.env["wisdom.collection.plan.line"]._cron_collection_alerts()
            orders = small | large | waiting
            Order = self.env["sale.order"].with_user(self.manager_a)
            found = Order.search(
                [("id", "in", orders.ids), ("overdue_amount", ">", 0)], order="overdue_amount desc, id"
            )
            self.assertEqual(found.ids, [large.id, waiting.id, small.id])
            self.assertEqual(found.mapped("overdue_amount"), [500.0, 500.0, 100.0])
            groups = Order.formatted_read_group(
                [("id", "in", orders.ids)],
                ["execution_state"],
                ["__count", "overdue_amount:sum"],
                order="execution_state",
            )
            self.assertEqual(
                [(g["execution_state"], g["__count"], g["overdue_amount:sum"]) for g in groups],
                [("not_started", 2, 600.0), ("shipping", 1, 500.0)],
            )
            # the list of the contracts menu shows the figures and its search offers the grouping
            views = Order.get_views(
                [(self.env.ref("wisdom_contract.view_wisdom_contract_list").id, "list"), (False, "search")]
            )
            self.assertIn('name="overdue_amount"', views["views"]["list"]["arch"])
            self.assertIn('name="wisdom_group_execution"', views["views"]["search"]["arch"])
            # a rep of another team sees none of them
            self.assertFalse(
                self.env["sale.order"]
                .with_user(self.rep_b1)
                .search([("id", "in", orders.ids), ("overdue_amount", ">", 0)])
            )

    def test_migration_fills_existing_contracts(self):
        with freeze_time("2026-04-01"):
            order = self._contract(terms=[("prepayment", 30, 0), ("delivery", 70, 0)])
            self._collect(order, 100.0, when=date(2026, 4, 1))
            expected = self._stored(order)
            columns = SQL(", ").join(SQL("%s = NULL", SQL.identifier(name)) for name in FIGURES)
            self.env.execute_query(SQL("UPDATE sale_order SET %s WHERE id = %s", columns, order.id))
            self.env.invalidate_all()
            self.assertIsNone(self._stored(order)["execution_state"])
            script = migration_script("wisdom_fulfillment", "19.0.1.1.0", "post-migrate")
            script.migrate(self.env.cr, "19.0.1.0.0")
            self.env.invalidate_all()
            self.assertEqual(self._stored(order), expected)
            self.assertEqual(expected["collected_percent"], 10.0)
            self.assertEqual(expected["overdue_amount"], 200)
