"""A fake PLM on the test kit: material-code requests over REST JSON with the default mapping of
``tools/plm.py`` (``POST /api/material-requests``, ``GET /api/material-requests/<requestId>``), a bearer
API key, 409 with the existing request for a reference asked twice, 404 for a request it does not know.
The code comes later: ``complete()`` sets it, the test then pushes it or lets the CRM poll. No Odoo
import."""

import itertools

from odoo.addons.wisdom_crm_base.tests.fake_server import FakeServer

REQUESTS = "/api/material-requests"


class PrefixRoutes(dict):
    """Routes whose path ends with ``/*`` also match every path below it."""

    def get(self, key, default=None):
        if key in self:
            return self[key]
        method, path = key
        for (route_method, route_path), handler in self.items():
            if route_method == method and route_path.endswith("/*") and path.startswith(route_path[:-1]):
                return handler
        return default


class FakePlm(FakeServer):
    def __init__(self, api_key="plm-key-test"):
        super().__init__()
        self.routes = PrefixRoutes()
        self.api_key = api_key
        self.store = {}  # request id → {"externalRef", "status", "materialCode", "body"}
        self._serial = itertools.count(1)
        self.require_token(f"Bearer {api_key}", body={"message": "invalid api key"})
        self.reject_duplicates(self._reference, status=409, body=self._duplicate)
        self.route("POST", REQUESTS, self._create)
        self.route("GET", REQUESTS + "/*", self._status)

    def reset(self):
        result = super().reset()
        self.store.clear()
        return result

    # PROGRAMMING

    def complete(self, request_id, code):
        self.store[request_id].update(status="DONE", materialCode=code)

    def reject(self, request_id, message="duplicate of an existing material"):
        self.store[request_id].update(status="REJECTED", message=message)

    def forget(self, request_id):
        """PLM lost the request (a poll gets 404)."""
        del self.store[request_id]

    def seed(self, reference):
        """A request PLM already has under ``reference`` (the CRM's next request gets 409)."""
        request_id = self._new_id()
        self.store[request_id] = {"externalRef": reference, "status": "PENDING", "materialCode": ""}
        self._seen_keys.add(reference)
        return request_id

    def request_ids(self):
        return list(self.store)

    def by_reference(self, reference):
        return next((rid for rid, item in self.store.items() if item["externalRef"] == reference), None)

    # SERVING

    def _new_id(self):
        return f"PLM-REQ-{next(self._serial):05d}"

    def _reference(self, request):
        if request.method != "POST":
            return None
        try:
            return (request.json() or {}).get("externalRef")
        except ValueError:
            return None

    def _answer_of(self, request_id):
        item = self.store[request_id]
        body = {"requestId": request_id, "externalRef": item["externalRef"], "status": item["status"]}
        if item.get("materialCode"):
            body["materialCode"] = item["materialCode"]
        if item.get("message"):
            body["message"] = item["message"]
        return body

    def _duplicate(self, request):
        request_id = self.by_reference(self._reference(request))
        return {**self._answer_of(request_id), "message": "already requested"}

    def _create(self, request):
        body = request.json() or {}
        if not body.get("externalRef") or not body.get("name"):
            return 400, {"message": "externalRef and name are required"}
        request_id = self._new_id()
        self.store[request_id] = {
            "externalRef": body["externalRef"],
            "status": "PENDING",
            "materialCode": "",
            "body": body,
        }
        return 201, self._answer_of(request_id)

    def _status(self, request):
        request_id = request.path.rsplit("/", 1)[-1]
        if request_id not in self.store:
            return 404, {"message": f"unknown request {request_id}"}
        return 200, self._answer_of(request_id)
