"""Calling the suite as integrators do: JSON-2 (``/json/2/<model>/<method>``, bearer API key) or
XML-RPC, as a given user, for the over-the-wire API tests of each addon."""

import inspect
import json
import xmlrpc.client
from contextlib import nullcontext
from datetime import datetime, timedelta

# Public methods of our models that are not business calls: the ORM's own and Odoo hooks.
NOT_API = {
    "create",
    "write",
    "unlink",
    "copy",
    "read",
    "search",
    "default_get",
    "name_create",
    "get_view",
    "fields_get",
    "button_draft",
    "button_cancel",
    "export_data",
    "init",
}


def public_methods(env, addons):
    """{(model, method)} of the public methods the ``addons`` define, on the standard models and on
    their own, not on the models of another Wisdom addon (whose own API test covers those)."""
    prefixes = tuple(f"odoo.addons.{addon}." for addon in addons)
    found = set()
    for name in env.registry:
        model = env[name]
        if model._abstract or (model._original_module.startswith("wisdom_") and model._original_module not in addons):
            continue
        for cls in type(model).__mro__:
            if not cls.__module__.startswith(prefixes):
                continue
            for attr, value in vars(cls).items():
                if inspect.isfunction(value) and not attr.startswith("_") and attr not in NOT_API:
                    found.add((name, attr))
    return found


class OverTheWireMixin:
    """For an ``HttpCase``: ``self.protocol`` is ``self._json2`` or ``self._xmlrpc``; ``call`` records
    every (model, method) called in ``self.called``. A fault, an HTTP error or a value XML-RPC cannot
    carry fails the test."""

    called = None

    def setUp(self):
        super().setUp()
        self.called = set()
        self._keys = {}

    # with TrappedJobsMixin: the jobs a request queued run as they are (an HttpCase is in test mode
    # already) and on cursors of their own, so the test reads what they wrote afresh

    def enter_registry_test_mode(self):
        return nullcontext()

    def run_jobs(self, trap, rounds=20):
        result = super().run_jobs(trap, rounds)
        self.env.invalidate_all()
        return result

    def _key(self, user):
        """The user's API key: the bearer token of JSON-2 and the password of XML-RPC."""
        if user.id not in self._keys:
            self._keys[user.id] = (
                self.env["res.users.apikeys"]
                .with_user(user)
                ._generate("rpc", "wisdom api test", datetime.now() + timedelta(days=1))
            )
        return self._keys[user.id]

    def _json2(self, user, model, method, ids=None, **kwargs):
        body = dict(kwargs, **({"ids": ids} if ids is not None else {}))
        response = self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(body, default=str),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self._key(user)}",
                "X-Odoo-Database": self.env.cr.dbname,
            },
        )
        if response.status_code != 200:
            self.fail(f"JSON-2 {model}.{method} as {user.login}: HTTP {response.status_code} {response.text[:800]}")
        return response.json()

    def _xmlrpc(self, user, model, method, ids=None, **kwargs):
        args = [ids] if ids is not None else []
        if method == "create":
            args = [kwargs.pop("vals_list")]  # execute_kw's create reads its values positionally
        try:
            return self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, user.id, self._key(user), model, method, args, kwargs
            )
        except xmlrpc.client.Fault as fault:
            self.fail(f"XML-RPC {model}.{method} as {user.login}: {fault.faultString[-800:]}")

    def call(self, user, model, method, ids=None, **kwargs):
        self.called.add((model, method))
        return self.protocol(user, model, method, ids, **kwargs)

    def make(self, user, model, vals):
        result = self.call(user, model, "create", vals_list=[vals])
        return self.env[model].browse(result[0] if isinstance(result, list) else result)
