"""A fake OA on the test kit, speaking the default mapping of ``tools/oa.py`` in both directions.

CRM → OA: ``POST /api/approvals`` starts the approval process of a review (bearer API key; 200
``{"success": true, "processId"}``; 409 with the existing process for a reference sent twice; 200
``{"success": false, "errorCode"}`` when no reviewer is given, OA's own business error),
``GET /api/approvals/by-ref/<externalRef>`` finds a process (404 when there is none),
``POST /api/approvals/<processId>/cancel`` withdraws one (404 unknown, 409 already decided).

OA → CRM: ``decide()`` decides a process and returns the decision body, ``signed()`` wraps any body the
way OA's callback sends it to ``/wisdom_oa/decision`` (bearer token, ``X-Wisdom-Timestamp`` and
``X-Wisdom-Signature``, HMAC-SHA256 computed here independently of the CRM's code).

Failures besides those of ``FakeServer``: ``lose_reply_next()`` starts the process and answers after the
client has given up (created, but the reply was lost). No Odoo import.
"""

import hashlib
import hmac
import itertools
import json
import time

from odoo.addons.wisdom_crm_base.tests.fake_server import FakeServer

from .fake_plm import PrefixRoutes

PROCESSES = "/api/approvals"
BY_REFERENCE = PROCESSES + "/by-ref/"


class FakeOa(FakeServer):
    def __init__(self, api_key="oa-key-test"):
        super().__init__()
        self.routes = PrefixRoutes()
        self.api_key = api_key
        self.processes = {}  # process id → {"externalRef", "status", "body", "decision"}
        self._serial = itertools.count(1)
        self._lose = []  # seconds to wait after starting the next processes, so that the client gives up
        self.require_token(
            f"Bearer {api_key}", body={"success": False, "errorCode": "AUTH_FAILED", "message": "invalid api key"}
        )
        self.route("POST", PROCESSES, self._create)
        self.route("POST", PROCESSES + "/*", self._cancel)
        self.route("GET", BY_REFERENCE + "*", self._by_reference)

    def reset(self):
        result = super().reset()
        self.processes.clear()
        self._lose.clear()
        return result

    # PROGRAMMING

    def lose_reply_next(self, count=1, seconds=2.0):
        """The next ``count`` process starts are stored, then answered ``seconds`` later."""
        with self._lock:
            self._lose.extend([seconds] * count)

    def by_reference(self, reference):
        return next((pid for pid, item in self.processes.items() if item["externalRef"] == reference), None)

    def decide(self, process_id, decision="APPROVED", approver="", comment="", decided_at="2026-05-04T10:30:00+08:00"):
        """OA's approver decided ``process_id``: the body of the callback OA sends."""
        item = self.processes[process_id]
        item.update(status=decision, decision=decision)
        return {
            "externalRef": item["externalRef"],
            "processId": process_id,
            "decision": decision,
            "approver": approver,
            "comment": comment,
            "decidedAt": decided_at,
        }

    @staticmethod
    def signed(body, token, secret, timestamp=None):
        """``(data, headers)`` of OA's callback carrying ``body`` (a dict, or bytes sent as they are)."""
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        timestamp = str(int(time.time() if timestamp is None else timestamp))
        signature = hmac.new(secret.encode(), timestamp.encode() + b"." + data, hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "X-Wisdom-Timestamp": timestamp,
            "X-Wisdom-Signature": f"sha256={signature}",
        }
        return data, headers

    # SERVING

    def _answer_of(self, process_id, **extra):
        item = self.processes[process_id]
        return {
            "success": True,
            "processId": process_id,
            "externalRef": item["externalRef"],
            "status": item["status"],
        } | extra

    def _create(self, request):
        body = request.json() or {}
        reference = body.get("externalRef")
        if not reference or not body.get("title"):
            return 400, {"success": False, "errorCode": "BAD_REQUEST", "message": "externalRef and title are required"}
        existing = self.by_reference(reference)
        if existing:
            return 409, {"processId": existing, "externalRef": reference, "message": "process already started"}
        if not body.get("reviewers"):
            return 200, {"success": False, "errorCode": "WF_NO_APPROVER", "message": "流程没有审批人"}
        process_id = f"OA-WF-{next(self._serial):06d}"
        self.processes[process_id] = {"externalRef": reference, "status": "RUNNING", "body": body, "decision": ""}
        with self._lock:
            lose = self._lose.pop(0) if self._lose else 0
        if lose:
            time.sleep(lose)
        return 200, self._answer_of(process_id)

    def _cancel(self, request):
        parts = request.path[len(PROCESSES) + 1 :].split("/")
        if len(parts) != 2 or parts[1] != "cancel":
            return 404, {"success": False, "errorCode": "NOT_FOUND", "message": "no route"}
        process_id = parts[0]
        item = self.processes.get(process_id)
        if not item:
            return 404, {"success": False, "errorCode": "NOT_FOUND", "message": f"unknown process {process_id}"}
        if item["status"] != "RUNNING":
            return 409, {"success": False, "errorCode": "FINISHED", "message": f"process is {item['status']}"}
        item.update(status="CANCELLED", reason=(request.json() or {}).get("reason"))
        return 200, self._answer_of(process_id)

    def _by_reference(self, request):
        process_id = self.by_reference(request.path[len(BY_REFERENCE) :])
        if not process_id:
            return 404, {"success": False, "errorCode": "NOT_FOUND", "message": "no process for this reference"}
        return 200, self._answer_of(process_id)
