"""Locust load test: staff of the Wisdom CRM roles working in the web client (issue 14, NFR-01).

Each simulated user logs in over the web client's JSON-RPC (``/web/session/authenticate``), loads
the views of the screens it uses once (``get_views``, as the browser caches them) and then does
what its role does all day, with think time between tasks:

- sales rep: customer list (``web_search_read`` with the list view's fields), customer form
  (``web_read``), duplicate check, claim a customer from the public pool and release it, a new
  contract (``onchange`` defaults, ``web_save``, the live review, submit for approval, confirm when no
  approval is needed), dashboards;
- sales manager and director: customer list and form, duplicate check, dashboards;
- finance: collection confirmation (payment ``web_save``, post, allocation suggested and confirmed),
  customer list, dashboards.

``LOAD_FLAVOUR=vanilla`` runs the same users against a database with only Odoo's crm,
sale_management and account, with the standard calls that come closest (partner list and form,
name search for the duplicate check, salesperson set and cleared for claim and release, sale order
save and confirm, payment save and post, the standard sales and invoicing reports).

Environment (set by ``scripts/wisdom.sh load``): ``LOAD_DB`` (database), ``LOAD_FLAVOUR``
(``wisdom``/``vanilla``), ``LOAD_MIX`` (``rep=30,manager=8,director=4,finance=8``: users per role,
the total is Locust's ``--users``), ``LOAD_THINK`` (think time range in seconds, ``3,8``),
``LOAD_MAX_TASKS`` (tasks per user before it stops, 0: until ``--run-time``), ``LOAD_LEDGER``
(JSON file: what the users did, for the sums check of ``tests/load/report.py``, and the final
request figures under ``requests``: Locust 2.47 closes its ``--csv`` files without writing the
last second, so a short run's CSV can lack its last requests),
``LOAD_ADMIN_PASSWORD`` (``admin``, to prepare the pools or the vanilla users), ``LOAD_RUN_ID``,
``LOAD_COOKIE`` (``name=value`` sent with every request; the test suite's HTTP server needs it),
``LOAD_EVERY_TASK_FIRST=1`` (each user does each of its tasks once before the random mix).
Only 127.0.0.1 is allowed as host.
"""

import ast
import csv
import io
import itertools
import json
import os
import random
import threading
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

from locust import HttpUser, between, events, task
from locust.exception import StopUser
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV

FLAVOUR = os.environ.get("LOAD_FLAVOUR", "wisdom")
DB = os.environ.get("LOAD_DB", "")
RUN_ID = os.environ.get("LOAD_RUN_ID") or uuid.uuid4().hex[:8]
TAG = f"LOAD-{RUN_ID}"
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "3,8").split(","))
MAX_TASKS = int(os.environ.get("LOAD_MAX_TASKS", "0"))
EVERY_TASK_FIRST = os.environ.get("LOAD_EVERY_TASK_FIRST") == "1"
ADMIN_PASSWORD = os.environ.get("LOAD_ADMIN_PASSWORD", "admin")
VANILLA_PASSWORD = "Load-Test-2026!"  # noqa: S105 - users the script creates in a throw-away database

# Who logs in per role (password = login for the demo users of wisdom_crm_base).
LOGINS = {
    "wisdom": {
        "rep": ["zhangwei", "lina", "liuyang", "zhaomin"],
        "manager": ["wanglei", "chenfang"],
        "director": ["zhoujianhua"],
        "finance": ["wuxiuying"],
    },
    "vanilla": {role: [f"load_{role}"] for role in ("rep", "manager", "director", "finance")},
}
VANILLA_GROUPS = {
    "rep": ["sales_team.group_sale_salesman"],
    "manager": ["sales_team.group_sale_manager"],
    "director": ["sales_team.group_sale_manager", "account.group_account_readonly"],
    "finance": ["sales_team.group_sale_salesman_all_leads", "account.group_account_invoice"],
}
CUSTOMER_ACTION = {
    "wisdom": "wisdom_crm_base.action_wisdom_customers",
    "vanilla": "account.res_partner_action_customer",
}
ORDER_ACTION = "sale.action_quotations_with_onboarding"
PAYMENT_ACTION = "account.action_account_payments"
CUSTOMER_DOMAIN = {"wisdom": [["wisdom_customer", "=", True]], "vanilla": [["customer_rank", ">", 0]]}
# Dashboards and reports per role (actions that do not exist in the database are left out).
_FF = "wisdom_fulfillment."
DASHBOARDS = {
    "wisdom": {
        "rep": [
            _FF + "action_wisdom_my_receivables",
            "wisdom_crm_base.action_wisdom_sales_target_dashboard",
            _FF + "action_wisdom_dash_my_customers",
            _FF + "action_wisdom_dash_my_contracts_waiting",
            _FF + "action_wisdom_dash_my_overdue",
            _FF + "action_wisdom_dash_my_targets",
        ],
        "manager": [
            _FF + "action_wisdom_overdue",
            "wisdom_crm_base.action_wisdom_customer_analysis",
            "wisdom_crm_base.action_wisdom_sales_target_dashboard",
            _FF + "action_wisdom_dash_team_ranking",
            _FF + "action_wisdom_dash_team_customers",
            _FF + "action_wisdom_dash_team_overdue",
            _FF + "action_wisdom_dash_team_targets",
        ],
        "director": [
            _FF + "action_wisdom_cash_forecast",
            _FF + "action_wisdom_retention_quarter",
            "wisdom_crm_base.action_wisdom_customer_analysis",
            _FF + "action_wisdom_dash_pipeline",
            _FF + "action_wisdom_dash_signed_vs_target",
            _FF + "action_wisdom_dash_collection_vs_plan",
            _FF + "action_wisdom_dash_ageing",
            _FF + "action_wisdom_dash_top_overdue",
            _FF + "action_wisdom_dash_margin",
        ],
        "finance": [
            _FF + "action_wisdom_plan_line",
            _FF + "action_wisdom_overdue",
            _FF + "action_wisdom_cash_forecast",
            _FF + "action_wisdom_dash_to_invoice",
            _FF + "action_wisdom_dash_to_confirm",
            _FF + "action_wisdom_dash_ageing",
        ],
    },
    "vanilla": {
        "rep": ["sale.action_order_report_all", "crm.crm_opportunity_report_action"],
        "manager": ["sale.action_order_report_all", "crm.crm_opportunity_report_action"],
        "director": ["sale.action_order_report_all", "account.action_account_invoice_report_all"],
        "finance": ["account.action_account_invoice_report_all", "sale.action_order_report_all"],
    },
}
# Group by and measure when the action's context names none (the graph view's own defaults).
DASHBOARD_DEFAULTS = {
    "sale.report": ("date:month", "price_subtotal:sum"),
    "crm.lead": ("stage_id", "expected_revenue:sum"),
    "account.invoice.report": ("invoice_date:month", "price_subtotal:sum"),
}
# Business refusals a person gets when a colleague was quicker (not server errors, counted apart).
CONFLICT_MARKERS = (
    "already claimed",
    "已被",
    "being changed right now",
    "正在",
    "someone may have just confirmed",
    "可能有人刚确认",
    "another user",
    "其他用户",
)


class Ledger:
    """What the simulated users did, written to LOAD_LEDGER at the end for the sums check."""

    def __init__(self):
        self.lock = threading.Lock()
        self.data = {
            "run_id": RUN_ID,
            "tag": TAG,
            "flavour": FLAVOUR,
            "db": DB,
            # reference -> {"amount", "done"}: done once the server answered; a request the end of
            # the run cut off stays not done (the server may or may not have committed it)
            "contracts": {},
            "collections": {},
            "contracts_confirmed": 0,
            "plan_line_ids": [],
            "claims": 0,
            "releases": 0,
            "conflicts": {},
            "tasks": {},
            "customer_list_rows": {},
        }

    def add(self, **amounts):
        with self.lock:
            for key, value in amounts.items():
                if isinstance(value, list):
                    self.data[key] = sorted(set(self.data[key]) | set(value))
                else:
                    self.data[key] += value

    def start(self, key, reference, amount):
        with self.lock:
            self.data[key][reference] = {"amount": round(amount, 2), "done": False}

    def done(self, key, reference):
        with self.lock:
            self.data[key][reference]["done"] = True

    def rows(self, login, count):
        with self.lock:
            self.data["customer_list_rows"][login] = count

    def count(self, key, name):
        with self.lock:
            self.data[key][name] = self.data[key].get(name, 0) + 1

    def write(self):
        path = os.environ.get("LOAD_LEDGER")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(self.data, handle, indent=1, sort_keys=True)


LEDGER = Ledger()
_ids = itertools.count(1)


class RpcError(Exception):
    """A JSON-RPC error response or an HTTP error (already recorded as a Locust failure)."""


class Conflict(Exception):
    """A colleague was quicker (claimed the customer, confirmed on the same instalment)."""


def _jsonrpc(session, url, params, name=None, catch=True):
    payload = {"jsonrpc": "2.0", "method": "call", "id": next(_ids), "params": params}
    if not catch:
        response = session.post(url, json=payload, timeout=120)
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RpcError(json.dumps(body["error"])[:500])
        return body["result"]
    with session.post(url, json=payload, name=name, catch_response=True, timeout=120) as response:
        if response.status_code >= 400:
            response.failure(f"HTTP {response.status_code}")
            raise RpcError(f"HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            detail = " ".join(response.text[:120].split())
            response.failure(f"HTTP {response.status_code}, not JSON: {detail}")
            raise RpcError("not JSON") from None
        if "error" in body:
            data = body["error"].get("data") or {}
            message = str(data.get("message") or body["error"].get("message"))
            if any(marker in message for marker in CONFLICT_MARKERS):
                response.success()
                LEDGER.count("conflicts", name)
                raise Conflict(message)
            response.failure(f"{data.get('name', 'error')}: {message[:200]}")
            raise RpcError(message)
        response.success()
        return body["result"]


def _eval(text, uid):
    """A domain or context of an action as the web client evaluates it (uid and literals)."""
    if not isinstance(text, str):
        return text or None
    try:
        tree = ast.parse(text.strip(), mode="eval")
        tree = ast.fix_missing_locations(_UidReplacer(uid).visit(tree))
        return ast.literal_eval(tree)
    except (ValueError, SyntaxError):
        return None


class _UidReplacer(ast.NodeTransformer):
    def __init__(self, uid):
        self.uid = uid

    def visit_Name(self, node):  # noqa: N802 - ast visitor naming
        if node.id == "uid":
            return ast.copy_location(ast.Constant(self.uid), node)
        return node


def _view_spec(node, models, model):
    """The web client's read specification of the fields a view shows; the columns of an x2many's
    inline list are read through that field (``models``: the fields of each model, from get_views)."""
    fields = models.get(model, {})
    fields = fields.get("fields", fields)
    nested = set()
    for element in node.iter("field"):
        for child in element:
            if child.tag in ("list", "tree", "kanban", "form"):
                nested.update(id(grand) for grand in child.iter("field"))
    spec = {}
    for element in node.iter("field"):
        name = element.get("name")
        description = fields.get(name)
        if id(element) in nested or not description or name in spec:
            continue
        kind = description.get("type")
        if kind in ("many2one", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
        elif kind == "one2many":
            subview = next((child for child in element if child.tag in ("list", "tree")), None)
            columns = {}
            if subview is not None:
                columns = _view_spec(subview, models, description.get("relation"))
            spec[name] = {"fields": columns or {"display_name": {}}, "limit": 40}
        else:
            spec[name] = {}
    return spec


class StaffUser(HttpUser):
    """One member of staff: logs in, loads the views once, works with think time."""

    abstract = True
    role = "rep"
    TASK_ORDER = ()
    finished = 0
    wait_time = between(*THINK)
    _counter = itertools.count()

    def on_start(self):
        host = urlparse(self.host).hostname
        if host != "127.0.0.1":
            raise StopUser(f"load tests run against 127.0.0.1 only, not {host}")
        if cookie := os.environ.get("LOAD_COOKIE"):
            key, __, value = cookie.partition("=")
            self.client.cookies.set(key, value)
        logins = LOGINS[FLAVOUR][self.role]
        self.number = next(self._counter)
        self.login = logins[self.number % len(logins)]
        password = VANILLA_PASSWORD if FLAVOUR == "vanilla" else self.login
        result = _jsonrpc(
            self.client,
            "/web/session/authenticate",
            {"db": DB, "login": self.login, "password": password},
            name="login",
        )
        self.uid = result["uid"]
        self.odoo_context = dict(result.get("user_context") or {}, bin_size=True)
        self.tasks_done = 0
        self.views = {}
        self.customer_ids = []
        if EVERY_TASK_FIRST:
            # a short smoke run covers every request type of the role, whatever the random draw
            for method in dict.fromkeys(getattr(self, name) for name in self.TASK_ORDER):
                method()

    # -- helpers -------------------------------------------------------------------------------------

    def call(self, model, method, args=(), kwargs=None, name=None, button=False):
        kwargs = dict(kwargs or {})
        kwargs["context"] = dict(self.odoo_context, **kwargs.get("context", {}))
        route = "call_button" if button else "call_kw"
        return _jsonrpc(
            self.client,
            f"/web/dataset/{route}/{model}.{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            name=name or f"{model}.{method}",
        )

    def screen(self, action_xmlid):
        """The action and its list/form specifications, loaded once per user like the browser does."""
        if action_xmlid not in self.views:
            action = _jsonrpc(self.client, "/web/action/load", {"action_id": action_xmlid}, name="load action")
            model = action["res_model"]
            views = [[view_id, kind] for view_id, kind in action["views"] if kind in ("list", "form")]
            views += [[False, kind] for kind in ("list", "form") if kind not in {k for __, k in views}]
            result = self.call(
                model,
                "get_views",
                [],
                {
                    "views": views + [[False, "search"]],
                    "options": {"action_id": action["id"], "toolbar": True, "load_filters": True},
                },
                name="load views",
            )
            models = result["models"]
            self.views[action_xmlid] = {
                "model": model,
                "domain": _eval(action.get("domain"), self.uid) or [],
                "context": _eval(action.get("context"), self.uid) or {},
                "list": _view_spec(ET.fromstring(result["views"]["list"]["arch"]), models, model),
                "form": _view_spec(ET.fromstring(result["views"]["form"]["arch"]), models, model),
                "limit": action.get("limit") or 80,
            }
        return self.views[action_xmlid]

    def think_done(self, name):
        LEDGER.count("tasks", name)
        self.tasks_done += 1
        if MAX_TASKS and self.tasks_done >= MAX_TASKS:
            with LEDGER.lock:
                StaffUser.finished += 1
                everyone = StaffUser.finished >= self.environment.runner.target_user_count
            if everyone:  # the run is over when every user has done its tasks
                self.environment.runner.quit()
            raise StopUser()

    def run_task(self, name, function):
        try:
            function()
        except (RpcError, Conflict):
            pass
        self.think_done(name)

    # -- what every role does --------------------------------------------------------------------------

    def open_customers(self):
        screen = self.screen(CUSTOMER_ACTION[FLAVOUR])
        result = self.call(
            "res.partner",
            "web_search_read",
            [],
            {
                "domain": screen["domain"] + CUSTOMER_DOMAIN[FLAVOUR],
                "specification": screen["list"],
                "offset": 0,
                "limit": screen["limit"],
                "order": "",
                "count_limit": 10001,
                "context": screen["context"],
            },
            name="customer list",
        )
        self.customer_ids = [record["id"] for record in result["records"]] or self.customer_ids
        LEDGER.rows(self.login, result["length"])
        if self.customer_ids:
            self.call(
                "res.partner",
                "web_read",
                [[random.choice(self.customer_ids)]],
                {"specification": screen["form"], "context": screen["context"]},
                name="customer form",
            )

    def duplicate_check(self):
        if not self.customer_ids:
            self.open_customers()
        if not self.customer_ids:
            return
        [partner] = self.call(
            "res.partner",
            "web_read",
            [[random.choice(self.customer_ids)]],
            {"specification": {"name": {}}},
            name="customer form (name)",
        )
        name = (partner["name"] or "")[:-2] or "电力"
        if FLAVOUR == "wisdom":
            self.call("res.partner", "wisdom_check_duplicates", [{"name": name}], name="duplicate check")
        else:
            self.call("res.partner", "name_search", [], {"name": name[:8], "limit": 8}, name="duplicate check")

    def dashboard(self):
        if not DASHBOARDS[FLAVOUR][self.role]:
            return
        xmlid = random.choice(DASHBOARDS[FLAVOUR][self.role])
        action = _jsonrpc(self.client, "/web/action/load", {"action_id": xmlid}, name="load action")
        if not action.get("res_model"):
            return
        context = _eval(action.get("context"), self.uid) or {}
        model = action["res_model"]
        default_groupby, default_measure = DASHBOARD_DEFAULTS.get(model, ("create_date:month", "__count"))
        groupby = (context.get("graph_groupbys") or context.get("pivot_row_groupby") or [default_groupby])[:1]
        measure = context.get("graph_measure") or (context.get("pivot_measures") or [None])[0]
        measure = f"{measure}:sum" if measure and measure != "__count" else default_measure
        domain = _eval(action.get("domain"), self.uid) or []
        self.call(
            model,
            "formatted_read_group",
            [],
            {
                "domain": domain,
                "groupby": groupby,
                "aggregates": list(dict.fromkeys(["__count", measure])),
            },
            name="dashboard",
        )


class SalesRep(StaffUser):
    role = "rep"
    weight = 30
    TASK_ORDER = ("customers", "contract", "pool", "duplicates", "dashboards")

    @task(5)
    def customers(self):
        self.run_task("customers", self.open_customers)

    @task(3)
    def duplicates(self):
        self.run_task("duplicates", self.duplicate_check)

    @task(2)
    def pool(self):
        self.run_task("pool", self.claim_and_release)

    @task(3)
    def contract(self):
        self.run_task("contract", self.new_contract)

    @task(1)
    def dashboards(self):
        self.run_task("dashboards", self.dashboard)

    def claim_and_release(self):
        if FLAVOUR == "wisdom":
            domain = [["pool_state", "=", "pool"], ["wisdom_customer", "=", True]]
        else:
            domain = [["user_id", "=", False], ["customer_rank", ">", 0], ["is_company", "=", True]]
        result = self.call(
            "res.partner",
            "web_search_read",
            [],
            {
                "domain": domain,
                "specification": {"display_name": {}},
                "limit": 40,
                "offset": random.randint(0, 200),
                "order": "",
                "count_limit": 10001,
            },
            name="pool list",
        )
        if not result["records"]:
            result = self.call(
                "res.partner",
                "web_search_read",
                [],
                {
                    "domain": domain,
                    "specification": {"display_name": {}},
                    "limit": 40,
                },
                name="pool list",
            )
        if not result["records"]:
            return
        partner_id = random.choice(result["records"])["id"]
        if FLAVOUR == "wisdom":
            self.call("res.partner", "action_claim", [[partner_id]], name="pool claim", button=True)
            LEDGER.add(claims=1)
            self.call("res.partner", "action_release", [[partner_id], f"{TAG} 负载测试退回"], name="pool release")
            LEDGER.add(releases=1)
        else:
            spec = {"user_id": {"fields": {"display_name": {}}}}
            self.call(
                "res.partner",
                "web_save",
                [[partner_id], {"user_id": self.uid}],
                {"specification": spec},
                name="pool claim",
            )
            LEDGER.add(claims=1)
            self.call(
                "res.partner",
                "web_save",
                [[partner_id], {"user_id": False}],
                {"specification": spec},
                name="pool release",
            )
            LEDGER.add(releases=1)

    def products(self):
        if not hasattr(self, "_products"):
            domain = [["sale_ok", "=", True], ["type", "=", "consu"]]
            if FLAVOUR == "wisdom":
                domain.append(["default_code", "=like", "WS-%"])
                domain.append(["wisdom_nonstandard", "=", False])
            self._products = self.call(
                "product.product",
                "web_search_read",
                [],
                {
                    "domain": domain,
                    "specification": {"lst_price": {}, "display_name": {}},
                    "limit": 20,
                },
                name="product search",
            )["records"]
        return self._products

    def new_contract(self):
        screen = self.screen(ORDER_ACTION)
        if not self.customer_ids:
            self.open_customers()
        products = self.products()
        if not self.customer_ids or not products:
            return
        spec = screen["form"]
        self.call("sale.order", "onchange", [[], {}, [], spec], name="contract new")
        product = random.choice(products)
        reference = f"{TAG}-{self.login}-{self.number}-{self.tasks_done}"
        values = {
            "partner_id": random.choice(self.customer_ids),
            "client_order_ref": reference,
            "order_line": [
                [
                    0,
                    0,
                    {
                        "product_id": product["id"],
                        "product_uom_qty": random.randint(1, 5),
                        "price_unit": product["lst_price"] or 100.0,
                    },
                ]
            ],
        }
        if FLAVOUR == "vanilla":
            # standard Odoo takes the customer's salesperson, often another rep, whose order lines
            # the rep may not write (sale.order.line personal rule): the rep puts themselves there
            values["user_id"] = self.uid
        if FLAVOUR == "wisdom":
            values["payment_term_line_ids"] = [
                [0, 0, {"kind": "prepayment", "percent": 30}],
                [0, 0, {"kind": "delivery", "percent": 60, "days": 30}],
                [0, 0, {"kind": "retention", "percent": 10}],
            ]
        [order] = self.call("sale.order", "web_save", [[], values], {"specification": spec}, name="contract save")
        order_id = order["id"]
        [order] = self.call(
            "sale.order",
            "web_read",
            [[order_id]],
            {
                "specification": dict(spec, amount_total={}),
            },
            name="contract open",
        )
        LEDGER.start("contracts", reference, order["amount_total"])
        if FLAVOUR == "wisdom":
            self.call("sale.order", "wisdom_review_findings", [[order_id]], name="contract review")
            self.call("sale.order", "action_wisdom_submit_review", [[order_id]], name="contract submit", button=True)
        else:
            self.call("sale.order", "action_confirm", [[order_id]], name="contract submit", button=True)
        LEDGER.done("contracts", reference)
        [order] = self.call(
            "sale.order",
            "web_read",
            [[order_id]],
            {
                "specification": {
                    "amount_total": {},
                    "state": {},
                    **({"review_state": {}} if FLAVOUR == "wisdom" else {}),
                },
            },
            name="contract open",
        )
        if FLAVOUR == "wisdom" and order["review_state"] == "approved" and order["state"] in ("draft", "sent"):
            self.call("sale.order", "action_confirm", [[order_id]], name="contract confirm", button=True)
            LEDGER.add(contracts_confirmed=1)


class SalesManager(StaffUser):
    role = "manager"
    weight = 8
    TASK_ORDER = ("customers", "duplicates", "dashboards")

    @task(4)
    def customers(self):
        self.run_task("customers", self.open_customers)

    @task(2)
    def duplicates(self):
        self.run_task("duplicates", self.duplicate_check)

    @task(3)
    def dashboards(self):
        self.run_task("dashboards", self.dashboard)


class SalesDirector(SalesManager):
    role = "director"
    weight = 4


class Finance(StaffUser):
    role = "finance"
    weight = 8
    TASK_ORDER = ("collection", "customers", "dashboards")

    @task(4)
    def collection(self):
        self.run_task("collection", self.confirm_collection)

    @task(2)
    def customers(self):
        self.run_task("customers", self.open_customers)

    @task(2)
    def dashboards(self):
        self.run_task("dashboards", self.dashboard)

    def confirm_collection(self):
        screen = self.screen(PAYMENT_ACTION)
        if FLAVOUR == "wisdom":
            # the open instalments finance works through (回款计划), oldest due first
            lines = self.call(
                "wisdom.collection.plan.line",
                "web_search_read",
                [],
                {
                    "domain": [["residual", ">", 1], ["order_id.state", "=", "sale"]],
                    "specification": {"partner_id": {"fields": {"display_name": {}}}, "residual": {}, "due_date": {}},
                    "limit": 20,
                    "order": "due_date, id",
                    "count_limit": 10001,
                },
                name="collection plan list",
            )["records"]
            if not lines:
                return
            line = random.choice(lines)
            partner_id = line["partner_id"]["id"]
            amount = float(min(random.randint(10, 200), int(line["residual"])))
        else:
            if not self.customer_ids:
                self.open_customers()
            if not self.customer_ids:
                return
            partner_id = random.choice(self.customer_ids)
            amount = float(random.randint(10, 200))
        spec = screen["form"]
        self.call(
            "account.payment",
            "onchange",
            [[], {}, [], spec],
            {
                "context": {"default_payment_type": "inbound", "default_partner_type": "customer"},
            },
            name="payment new",
        )
        memo = f"{TAG}-{self.login}-{self.number}-{self.tasks_done}"
        [payment] = self.call(
            "account.payment",
            "web_save",
            [
                [],
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": partner_id,
                    "amount": amount,
                    "memo": memo,
                },
            ],
            {"specification": spec},
            name="payment save",
        )
        payment_id = payment["id"]
        if FLAVOUR == "vanilla":
            LEDGER.start("collections", memo, amount)
        self.call("account.payment", "action_post", [[payment_id]], name="payment post", button=True)
        if FLAVOUR == "vanilla":
            LEDGER.done("collections", memo)
            return
        self.call(
            "account.payment",
            "action_wisdom_suggest_allocation",
            [[payment_id]],
            name="collection allocate",
            button=True,
        )
        [payment] = self.call(
            "account.payment",
            "web_read",
            [[payment_id]],
            {
                "specification": {
                    "wisdom_allocation_ids": {"fields": {"plan_line_id": {}, "amount": {}, "state": {}}},
                }
            },
            name="payment open",
        )
        allocations = payment["wisdom_allocation_ids"]
        if not allocations:
            return
        LEDGER.start("collections", memo, sum(a["amount"] for a in allocations))
        LEDGER.add(plan_line_ids=[a["plan_line_id"] for a in allocations if a["plan_line_id"]])
        self.call(
            "account.payment",
            "action_wisdom_confirm_allocation",
            [[payment_id]],
            name="collection confirm",
            button=True,
        )
        LEDGER.done("collections", memo)


def _mix():
    mix = dict(item.split("=") for item in os.environ.get("LOAD_MIX", "").split(",") if "=" in item)
    for user_class in (SalesRep, SalesManager, SalesDirector, Finance):
        if mix:
            user_class.fixed_count = int(mix.get(user_class.role, 0))
            user_class.weight = 0 if not user_class.fixed_count else user_class.weight


_mix()


@events.test_start.add_listener
def _prepare(environment, **_kwargs):
    """As the administrator: pools that let the load's reps claim freely (wisdom), or the role users
    (vanilla). Only in a database made for the load test."""
    import requests  # noqa: PLC0415 - Locust brings it; only the master prepares

    session = requests.Session()
    if cookie := os.environ.get("LOAD_COOKIE"):
        key, __, value = cookie.partition("=")
        session.cookies.set(key, value)
    host = environment.host.rstrip("/")
    if urlparse(host).hostname != "127.0.0.1":
        raise SystemExit("load tests run against 127.0.0.1 only")
    _jsonrpc(
        session,
        f"{host}/web/session/authenticate",
        {"db": DB, "login": "admin", "password": ADMIN_PASSWORD},
        catch=False,
    )

    def call(model, method, *args, **kwargs):
        return _jsonrpc(
            session,
            f"{host}/web/dataset/call_kw/{model}.{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            catch=False,
        )

    for role, xmlids in DASHBOARDS[FLAVOUR].items():
        existing = []
        for xmlid in xmlids:
            module, name = xmlid.split(".")
            if call("ir.model.data", "search_count", [["module", "=", module], ["name", "=", name]]):
                existing.append(xmlid)
        DASHBOARDS[FLAVOUR][role] = existing
    if FLAVOUR == "wisdom":
        pools = call("wisdom.customer.pool", "search", [])
        call(
            "wisdom.customer.pool",
            "write",
            pools,
            {"daily_claim_limit": 0, "max_private_customers": 0, "cooling_days": 0, "open_to_all_reps": True},
        )
        return
    for role, xmlids in VANILLA_GROUPS.items():
        login = LOGINS["vanilla"][role][0]
        if call("res.users", "search", [["login", "=", login]]):
            continue
        group_ids = []
        for xmlid in xmlids:
            module, name = xmlid.split(".")
            rows = call("ir.model.data", "search_read", [["module", "=", module], ["name", "=", name]], ["res_id"])
            group_ids += [row["res_id"] for row in rows]
        call(
            "res.users",
            "create",
            {"name": f"Load {role}", "login": login, "password": VANILLA_PASSWORD, "group_ids": [[6, 0, group_ids]]},
        )


@events.test_stop.add_listener
def _write_ledger(environment, **_kwargs):
    # every user has stopped: the figures are final (same columns as Locust's PREFIX_stats.csv)
    buffer = io.StringIO()
    StatsCSV(environment, PERCENTILES_TO_REPORT).requests_csv(csv.writer(buffer))
    buffer.seek(0)
    LEDGER.data["requests"] = {row["Name"]: row for row in csv.DictReader(buffer)}
    LEDGER.write()
