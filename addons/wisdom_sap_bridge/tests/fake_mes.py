"""A fake MES on the test kit: planned orders over REST JSON with the default mapping of ``tools/mes.py``
(``POST /api/production-orders``), a bearer API key, 409 with the existing order for a contract sent
twice, and the progress reports changed after ``changedSince`` (``GET /api/production-progress``, read
from ``reports``: ``add_report``; ``page_size`` per page, oldest first, ``nextChangedSince`` / ``hasMore``).
No Odoo import."""

import itertools

from odoo.addons.wisdom_crm_base.tests.fake_server import FakeServer

ORDERS = "/api/production-orders"
PROGRESS = "/api/production-progress"


class FakeMes(FakeServer):
    def __init__(self, api_key="mes-key-test"):
        super().__init__()
        self.api_key = api_key
        self.orders = {}  # order id → the body received
        self.reports = []  # (ISO time of the change, report body): MES's progress log read by the poll
        self.page_size = 100
        self._serial = itertools.count(1)
        self.require_token(f"Bearer {api_key}", body={"message": "invalid api key"})
        self.reject_duplicates(self._reference, status=409, body=self._duplicate)
        self.route("POST", ORDERS, self._create)
        self.route("GET", PROGRESS, self._progress)

    def reset(self):
        result = super().reset()
        self.orders.clear()
        self.reports.clear()
        self.page_size = 100
        return result

    def add_report(self, changed_at, report):
        self.reports.append((changed_at, report))

    def _progress(self, request):
        since = request.query.get("changedSince") or ""
        after = sorted((r for r in self.reports if r[0] > since), key=lambda r: r[0])
        page = after[: self.page_size]
        return 200, {
            "items": [report for __, report in page],
            "nextChangedSince": page[-1][0] if page else since,
            "hasMore": len(after) > self.page_size,
        }

    def _reference(self, request):
        try:
            return (request.json() or {}).get("externalRef")
        except ValueError:
            return None

    def by_reference(self, reference):
        return next((oid for oid, body in self.orders.items() if body["externalRef"] == reference), None)

    def answer_of(self, order_id, status="PLANNED", start="2026-05-04", end="2026-05-20"):
        body = self.orders[order_id]
        return {
            "orderId": order_id,
            "externalRef": body["externalRef"],
            "status": status,
            "lines": [
                {"lineRef": line["lineRef"], "plannedQty": line["plannedQty"], "plannedStart": start, "plannedEnd": end}
                for line in body["lines"]
            ],
        }

    def _duplicate(self, request):
        return {**self.answer_of(self.by_reference(self._reference(request))), "message": "already planned"}

    def _create(self, request):
        body = request.json() or {}
        if not body.get("externalRef") or not body.get("lines"):
            return 400, {"message": "externalRef and lines are required"}
        order_id = f"MO-{next(self._serial):06d}"
        self.orders[order_id] = body
        return 201, self.answer_of(order_id)
