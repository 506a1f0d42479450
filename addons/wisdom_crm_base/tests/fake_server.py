"""Test kit: a programmable HTTP server on 127.0.0.1 for the fakes of external systems.

    with FakeServer() as server:
        server.route("GET", "/ping", lambda request: (200, {"ok": True}))
        server.fail_next(2, status=503)          # the next two requests answer 503
        requests.get(server.url + "/ping", timeout=5)
        server.requests                          # what it received

Switches shared by every fake: ``fail_next`` (HTTP 5xx), ``stall_next`` (answer late, to trip the
client's timeout), ``flap`` (a share of requests fail, reproducibly), ``require_token`` and
``expire_token_next`` (invalid or expired token), ``reject_duplicates`` (duplicate submission) and
``business_error_next`` (the system's own error codes). Handlers get a ``Request`` and return
``(status, body)`` with body a dict (sent as JSON), str or bytes. No Odoo import: usable from unit
tests and Odoo tests alike.
"""

import contextlib
import json
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes = b""
    answered: int = 0
    at: float = field(default_factory=time.time)

    def json(self):
        return json.loads(self.body or b"null")


class FakeServer:
    def __init__(self):
        self.routes = {}
        self.requests = []
        self._lock = threading.Lock()
        self._fail = []
        self._stall = []
        self._flap = None
        self._token = None  # (header, expected value, status, body)
        self._expire = 0
        self._business = []
        self._duplicates = None  # (key function, status, body)
        self._seen_keys = set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # LIFECYCLE

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # PROGRAMMING

    def route(self, method, path, handler):
        self.routes[(method.upper(), path)] = handler

    def fail_next(self, count=1, status=500):
        with self._lock:
            self._fail.extend([status] * count)

    def stall_next(self, count=1, seconds=2.0):
        with self._lock:
            self._stall.extend([seconds] * count)

    def flap(self, ratio, status=502, seed=7):
        """Fail ``ratio`` of the following requests with ``status`` (None stops flapping)."""
        self._flap = None if ratio is None else (ratio, status, random.Random(seed))

    def require_token(self, value, header="Authorization", status=401, body=None):
        """Answer ``status`` with ``body`` to requests whose ``header`` is not ``value``."""
        self._token = (header, value, status, body if body is not None else {"error": "invalid token"})

    def expire_token_next(self, count=1):
        """The next ``count`` requests are refused as if their (valid) token had expired."""
        with self._lock:
            self._expire += count

    def business_error_next(self, body, count=1, status=200):
        """The next ``count`` requests get the system's own error answer (often with HTTP 200)."""
        with self._lock:
            self._business.extend([(status, body)] * count)

    def reject_duplicates(self, key, status=409, body=None):
        """A request whose ``key(request)`` was already answered successfully gets ``status``/``body``
        (``body`` may be a callable of the request); ``key=None`` stops the check."""
        self._duplicates = None if key is None else (key, status, body or {"error": "duplicate submission"})

    def reset(self):
        """Forget the request log and every programmed switch (routes and token check stay)."""
        with self._lock:
            self.requests.clear()
            self._fail.clear()
            self._stall.clear()
            self._business.clear()
            self._expire = 0
            self._seen_keys.clear()
        self._flap = None

    def count(self, path=None, status=None):
        """Requests received, optionally only for ``path`` and/or answered with ``status``."""
        return sum(
            1 for r in self.requests if (path is None or r.path == path) and (status is None or r.answered == status)
        )

    # SERVING

    def _next_override(self):
        with self._lock:
            stall = self._stall.pop(0) if self._stall else 0
            if self._fail:
                return stall, self._fail.pop(0)
            if self._flap:
                ratio, status, rng = self._flap
                if rng.random() < ratio:
                    return stall, status
            return stall, None

    def _answer(self, request):
        stall, failure = self._next_override()
        if stall:
            time.sleep(stall)
        if failure:
            return failure, {"error": "simulated failure"}
        refused = self._refuse_token(request)
        if refused:
            return refused
        with self._lock:
            business = self._business.pop(0) if self._business else None
        if business:
            return business
        handler = self.routes.get((request.method, request.path))
        if not handler:
            return 404, {"error": "no route"}
        duplicate_key = self._duplicates and self._duplicates[0](request)
        if duplicate_key is not None and duplicate_key in self._seen_keys:
            body = self._duplicates[2]
            return self._duplicates[1], body(request) if callable(body) else body
        status, body = handler(request)
        if duplicate_key is not None and status < 400:
            self._seen_keys.add(duplicate_key)
        return status, body

    def _refuse_token(self, request):
        header, value, status, body = self._token or ("Authorization", None, 401, {"error": "token expired"})
        with self._lock:
            expired = self._expire > 0
            if expired:
                self._expire -= 1
        if expired or (self._token and request.headers.get(header) != value):
            return status, body
        return None

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    headers=dict(self.headers.items()),
                    body=self.rfile.read(length) if length else b"",
                )
                status, body = fake._answer(request)
                request.answered = status
                with fake._lock:
                    fake.requests.append(request)
                if isinstance(body, dict | list):
                    payload, content_type = json.dumps(body, ensure_ascii=False).encode(), "application/json"
                elif isinstance(body, str):
                    payload, content_type = body.encode(), "text/html; charset=utf-8"
                else:
                    payload, content_type = body or b"", "application/octet-stream"
                # A client whose timeout tripped during a stall has hung up: expected, nothing to answer.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *args):
                pass

        return Handler
