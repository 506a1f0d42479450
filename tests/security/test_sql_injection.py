"""SQL injection over XML-RPC: payloads in every place a caller puts text that reaches a query — name
search, search domains (values, field paths, operators), order, grouping, the fields to read, the
import columns (load), the duplicate check, the pool actions and filters, the cash-in forecast.
Every call either answers normally or is refused with Odoo's own error; PostgreSQL never sees the
payload as SQL, no row outside the caller's rights comes back, and nothing is changed or dropped."""

import xmlrpc.client

from odoo.tests import tagged

from odoo.addons.wisdom_fulfillment.tests.common import FulfilmentCase

from .common import RpcMixin

PAYLOADS = [
    "' OR '1'='1",
    "x' OR 1=1 --",
    "'; DROP TABLE res_partner; --",
    "%' UNION SELECT login, password FROM res_users --",
    "1); SELECT pg_sleep(3); --",
    "\\'; UPDATE res_users SET active = false; --",
    "華北' OR ''='",
]
# Models with a name to search by. (wisdom.collection.plan.line has none: its name_search fails for any
# text with "display_name is not stored", whatever the payload.)
SEARCHABLE = [
    "res.partner",
    "sale.order",
    "crm.lead",
    "wisdom.customer.pool",
    "wisdom.review.rule",
    "wisdom.contract.demand",
    "wisdom.shipment.request",
    "wisdom.receivable.disposal",
    "wisdom.contract.template",
    "wisdom.pool.log",
]


@tagged("post_install", "-at_install")
class TestSqlInjection(RpcMixin, FulfilmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_a1 = cls._contract(cls, rep=cls.rep_a1)
        cls.order_b1 = cls._contract(cls, rep=cls.rep_b1)

    def setUp(self):
        super().setUp()
        self.counts = self._counts()
        self.addCleanup(lambda: self.assertEqual(self._counts(), self.counts, "rows changed"))

    def _counts(self):
        self.env.invalidate_all()
        return {
            model: self.env[model].sudo().with_context(active_test=False).search_count([])
            for model in ("res.partner", "res.users", "sale.order")
        }

    def assertSafe(self, user, model, method, *args, **kwargs):
        """The call answers or fails with an Odoo error, never with a database error."""
        try:
            return self.rpc(user, model, method, *args, **kwargs)
        except xmlrpc.client.Fault as fault:
            self.assertNoSqlError(fault)
            self.assertRegex(
                fault.faultString,
                r"ValueError|UserError|ValidationError|AccessError|"
                r"Invalid|not allowed|does not exist",
            )
            return None

    def test_name_search(self):
        for model in SEARCHABLE:
            for payload in PAYLOADS:
                with self.subTest(model=model, payload=payload):
                    self.assertEqual(self.rpc(self.rep_a1, model, "name_search", payload), [])

    def test_search_domain_values(self):
        visible = set(self.rpc(self.rep_a1, "res.partner", "search", []))
        for payload in PAYLOADS:
            for domain in (
                [("name", "ilike", payload)],
                ["|", ("name", "=", payload), ("email", "=ilike", payload)],
                [("user_id.login", "=", payload)],
                [("pool_id.name", "ilike", payload)],
                [("credit_code", "in", [payload, "x"])],
                [("name", "not ilike", payload)],
            ):
                with self.subTest(payload=payload, domain=domain):
                    ids = self.assertSafe(self.rep_a1, "res.partner", "search", domain)
                    self.assertLessEqual(set(ids or []), visible)
            with self.subTest(payload=payload, model="sale.order"):
                self.assertEqual(
                    self.rpc(self.rep_a1, "sale.order", "search_count", [("partner_id.name", "ilike", payload)]), 0
                )

    def test_search_structure(self):
        """Payloads where Odoo expects a field name, an operator, an order or a group: refused by Odoo."""
        for payload in PAYLOADS:
            with self.subTest(payload=payload):
                for model in ("res.partner", "sale.order", "wisdom.collection.plan.line"):
                    self.assertSafe(self.rep_a1, model, "search", [(payload, "=", 1)])
                    self.assertSafe(self.rep_a1, model, "search", [("name", payload, "x")])
                    self.assertSafe(self.rep_a1, model, "search_read", [], fields=["id"], order=payload)
                    self.assertSafe(self.rep_a1, model, "search_read", [], fields=[payload])
                    self.assertSafe(self.rep_a1, model, "read_group", [], ["id:count"], [payload])
                    self.assertSafe(self.rep_a1, model, "formatted_read_group", [], [payload], ["__count"])
                    self.assertSafe(
                        self.rep_a1, model, "formatted_read_group", [], ["create_date:day"], [f"id:{payload}"]
                    )

    def test_grouping_stays_within_rights(self):
        groups = self.rpc(
            self.rep_a1,
            "sale.order",
            "formatted_read_group",
            [("partner_id.name", "ilike", "' OR 1=1 --")],
            ["partner_id"],
            ["__count"],
        )
        self.assertEqual(groups, [])
        groups = self.rpc(self.rep_a1, "sale.order", "formatted_read_group", [], ["user_id"], ["__count"])
        self.assertEqual({group["user_id"][0] for group in groups}, {self.rep_a1.id})

    def test_import_columns_and_values(self):
        """Importing (load) is how customer data is migrated: payloads as column names and as values."""
        for payload in PAYLOADS:
            with self.subTest(payload=payload):
                result = self.assertSafe(self.rep_a1, "res.partner", "load", ["name", payload], [["导入客户", "x"]])
                if result is not None:
                    self.assertFalse(result["ids"])
                    self.assertTrue(result["messages"])
                    for message in result["messages"]:
                        self.assertNotIn("psycopg2", str(message))
        result = self.rpc(
            self.rep_a1,
            "res.partner",
            "load",
            ["name", "email", "comment"],
            [[payload, "a@b.cn", payload] for payload in PAYLOADS[:3]],
        )
        self.assertEqual(len(result["ids"]), 3, result["messages"])
        names = [row["name"] for row in self.rpc(self.rep_a1, "res.partner", "read", result["ids"], fields=["name"])]
        self.assertEqual(names, PAYLOADS[:3])  # stored as typed
        self.counts["res.partner"] += 3

    def test_duplicate_check(self):
        for payload in PAYLOADS:
            for key in ("name", "credit_code", "phone", "email"):
                with self.subTest(payload=payload, key=key):
                    matches = self.rpc(self.rep_a1, "res.partner", "wisdom_check_duplicates", {key: payload})
                    self.assertEqual(matches, [], f"{key}={payload!r} matched existing customers")
        # a payload appended to a real name finds that customer only, and only its name and owner
        matches = self.rpc(
            self.rep_a1, "res.partner", "wisdom_check_duplicates", {"name": self.customer_b1.name + "' OR '1'='1"}
        )
        self.assertLessEqual({match["id"] for match in matches}, {self.customer_b1.id})
        for match in matches:
            self.assertEqual(set(match), {"id", "name", "score", "reasons", "reason_labels", "blocking", "owner"})

    def test_pool_actions_and_filters(self):
        customer = self.customer_a1
        for payload in PAYLOADS[:3]:
            with self.subTest(payload=payload):
                self.assertEqual(
                    self.rpc(
                        self.rep_a1,
                        "res.partner",
                        "search",
                        [
                            ("pool_state", "=", "pool"),
                            "|",
                            ("pool_id.name", "ilike", payload),
                            ("previous_owner_id.name", "ilike", payload),
                        ],
                    ),
                    [],
                )
        self.rpc(self.rep_a1, "res.partner", "action_release", customer.ids, PAYLOADS[2])
        log = self.env["wisdom.pool.log"].search([("partner_id", "=", customer.id)], limit=1, order="id desc")
        self.assertEqual(log.note, PAYLOADS[2])
        self.assertEqual(customer.pool_state, "pool")
        for payload in PAYLOADS[:2]:
            with self.subTest(payload=payload), self.assertRaises(xmlrpc.client.Fault) as caught:
                self.rpc(self.manager_a, "res.partner", "action_assign", customer.ids, payload)
            # action_assign takes the text for a user id: PostgreSQL refuses it as a bound integer
            # parameter ("invalid input syntax for type integer"), it never reads it as SQL
            self.assertNotIn("syntax error at or near", caught.exception.faultString)
            self.assertNotIn("unterminated quoted string", caught.exception.faultString)

    def test_cash_forecast_domain(self):
        mine = self.rpc(self.finance, "wisdom.collection.plan.line", "wisdom_cash_forecast")
        self.assertTrue(mine)
        for payload in PAYLOADS:
            with self.subTest(payload=payload):
                self.assertEqual(
                    self.rpc(
                        self.finance,
                        "wisdom.collection.plan.line",
                        "wisdom_cash_forecast",
                        [("partner_id.name", "ilike", payload)],
                    ),
                    [],
                )
                self.assertSafe(
                    self.finance, "wisdom.collection.plan.line", "wisdom_cash_forecast", [(payload, "=", 1)]
                )
        # rep A1 gets nothing of rep B1's contract, however the domain is written
        b_domain = [("order_id", "=", self.order_b1.id)]
        self.assertTrue(self.rpc(self.finance, "wisdom.collection.plan.line", "wisdom_cash_forecast", b_domain))
        self.assertEqual(self.rpc(self.rep_a1, "wisdom.collection.plan.line", "wisdom_cash_forecast", b_domain), [])
        self.assertEqual(
            self.rpc(
                self.rep_a1,
                "wisdom.collection.plan.line",
                "wisdom_cash_forecast",
                ["|", ("order_id", "=", self.order_b1.id), ("id", "=", 0)],
            ),
            [],
        )
