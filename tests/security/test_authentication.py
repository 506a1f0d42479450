"""NFR-03 authentication: the password policy configured on install, lockout after repeated failed
logins, the web session timeout, and no anonymous access over XML-RPC, JSON-2 or JSON-RPC."""

import json
import os
import time
import xmlrpc.client
from datetime import datetime, timedelta
from types import SimpleNamespace
from unittest.mock import patch

from freezegun import freeze_time

from odoo import http, modules
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.wisdom_crm_base.tests.common import WisdomRolesCase

WISDOM_MODELS = [
    "res.partner",
    "sale.order",
    "wisdom.collection.plan.line",
    "wisdom.shipment.request",
    "wisdom.contract.demand",
    "wisdom.review.rule",
    "wisdom.customer.pool",
    "wisdom.integration.endpoint",
]


@tagged("post_install", "-at_install")
class TestAuthentication(HttpCase, WisdomRolesCase):
    def setUp(self):
        super().setUp()
        # the failed-login counter lives in the registry, per client address: leave none behind
        self.addCleanup(lambda: getattr(self.registry, "_login_failures", {}).clear())

    def _policy_enforced(self):
        """OCA password_security checks passwords only in its own tests: run the check as it does there."""
        return patch.object(modules.module, "current_test", SimpleNamespace(test_module="password_security"))

    # --- password policy ---

    def test_password_policy_configured(self):
        params = self.env["ir.config_parameter"].sudo()
        expected = {
            "auth_password_policy.minlength": "10",
            "password_security.lower": "1",
            "password_security.upper": "1",
            "password_security.numeric": "1",
            "password_security.special": "1",
            "password_security.expiration_days": "90",
            "password_security.history": "5",
        }
        self.assertEqual({key: params.get_param(key) for key in expected}, expected)
        policy = self.env["res.users"].get_password_policy()
        self.assertEqual(policy["minlength"], 10)
        self.assertEqual(policy["password_special"], 1)

    def test_weak_passwords_refused(self):
        user = self.rep_a1
        with self._policy_enforced():
            for weak in ("Wisdom-1", "wisdom-crm-2026", "WISDOM-CRM-2026", "Wisdom-CRM-abc", "WisdomCRM2026"):
                with self.subTest(password=weak), self.assertRaises(UserError):
                    user._check_password_policy([weak])
            user._check_password_policy(["Wisdom-CRM-2026"])  # accepted

    def test_recent_passwords_not_reused(self):
        user = self.rep_a1
        for i in range(1, 4):
            user.password = f"Wisdom-CRM-{i:04d}"
        with self.assertRaises(UserError):
            user._check_password_history("Wisdom-CRM-0001")
        user._check_password_history("Wisdom-CRM-0009")

    def test_password_expires_after_90_days(self):
        user = self.rep_a1
        user.password = "Wisdom-CRM-0001"
        written = user.password_write_date
        with freeze_time(written + timedelta(days=90)):
            self.assertFalse(user._password_has_expired())
        with freeze_time(written + timedelta(days=91)):
            self.assertTrue(user._password_has_expired())

    # --- lockout ---

    def _web_login(self, login, password):
        """The web client's login call; the uid, or None when refused."""
        response = self.url_open(
            "/web/session/authenticate",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"db": self.env.cr.dbname, "login": login, "password": password},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        return None if "error" in body else body["result"]["uid"]

    def test_lockout_after_five_failed_logins(self):
        login = self.rep_a1.login
        self.assertEqual(self._web_login(login, login), self.rep_a1.id)
        for _attempt in range(5):
            self.assertIsNone(self._web_login(login, "wrong password"))
        # the right password is refused as well until the 10 minutes have passed
        with self.assertLogs("odoo.addons.base.models.res_users", "WARNING") as logs:
            self.assertIsNone(self._web_login(login, login))
        self.assertIn("Login attempt ignored", logs.output[0])
        with freeze_time(datetime.now() + timedelta(minutes=11)):
            self.assertEqual(self._web_login(login, login), self.rep_a1.id)

    # --- session timeout ---

    def test_web_session_ends_after_four_hours_idle(self):
        self.assertEqual(http.get_session_max_inactivity(self.env), 4 * 3600)
        store = http.root.session_store
        idle = {}
        for hours in (3.9, 4.1):
            session = self.authenticate(self.rep_a1.login, self.rep_a1.login)
            path = store.get_session_filename(session.sid)
            mtime = time.time() - hours * 3600
            os.utime(path, (mtime, mtime))
            idle[hours] = session.sid
            self.session = None  # keep it: the next authenticate() would delete it
        self.env["ir.http"]._gc_sessions()  # Odoo's daily auto-vacuum
        self.assertEqual(store.get(idle[3.9]).uid, self.rep_a1.id)
        self.assertIsNone(store.get(idle[4.1]).uid)

    # --- every call needs a user ---

    def test_anonymous_xmlrpc_refused(self):
        db = self.env.cr.dbname
        for model in WISDOM_MODELS:
            for uid, password in ((False, ""), (0, "admin"), (self.rep_a1.id, "wrong password"), (self.rep_a1.id, "")):
                with self.subTest(model=model, uid=uid), self.assertRaises(xmlrpc.client.Fault) as caught:
                    self.xmlrpc_object.execute_kw(db, uid, password, model, "search_read", [[]], {"limit": 1})
                self.assertIn("Access Denied", caught.exception.faultString)

    def test_anonymous_json2_refused(self):
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.rep_a1)
            ._generate("rpc", "security test", datetime.now() + timedelta(days=1))
        )
        for model in WISDOM_MODELS:
            for authorization in (None, "Bearer ", "Bearer not-a-key", f"Basic {key}"):
                headers = {"Content-Type": "application/json", "X-Odoo-Database": self.env.cr.dbname}
                if authorization is not None:
                    headers["Authorization"] = authorization
                with self.subTest(model=model, authorization=authorization):
                    response = self.url_open(
                        f"/json/2/{model}/search_read", data=json.dumps({"domain": []}), headers=headers
                    )
                    self.assertEqual(response.status_code, 401, response.text[:300])
        # the same call with the rep's API key answers
        response = self.url_open(
            "/json/2/res.partner/search_read",
            data=json.dumps({"domain": [("id", "=", self.customer_a1.id)], "fields": ["name"]}),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {key}",
                "X-Odoo-Database": self.env.cr.dbname,
            },
        )
        self.assertEqual(response.json(), [{"id": self.customer_a1.id, "name": self.customer_a1.name}])

    def test_web_client_rpc_needs_a_session(self):
        self.authenticate(None, None)  # a browser that opened the login page of this database
        for model in WISDOM_MODELS:
            with self.subTest(model=model):
                response = self.url_open(
                    "/web/dataset/call_kw",
                    data=json.dumps(
                        {
                            "jsonrpc": "2.0",
                            "method": "call",
                            "params": {"model": model, "method": "search_read", "args": [[]], "kwargs": {"limit": 1}},
                        }
                    ),
                    headers={"Content-Type": "application/json"},
                )
                error = response.json()["error"]
                self.assertEqual(error["data"]["name"], "odoo.http.SessionExpiredException")

    # --- CSRF: a page in another site cannot act with the user's browser session ---

    def test_cross_site_requests_refused(self):
        self.authenticate(self.rep_a1.login, self.rep_a1.login)  # the browser holds a session cookie
        # JSON-2 (the integrators' API) authenticates by API key only, never by the cookie
        response = self.url_open(
            "/json/2/res.partner/write",
            data=json.dumps({"ids": self.customer_a1.ids, "vals": {"phone": "999"}}),
            headers={"Content-Type": "application/json", "X-Odoo-Database": self.env.cr.dbname},
        )
        self.assertEqual(response.status_code, 401)
        # a form posted from elsewhere has no CSRF token of this session
        response = self.url_open(
            "/web/login", data={"login": self.rep_a1.login, "password": self.rep_a1.login, "redirect": "/odoo"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("CSRF", response.text)
        self.assertNotEqual(self.customer_a1.phone, "999")
