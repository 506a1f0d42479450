"""Test kit: the fakes of the e-flow's systems fail the way each system fails in real life, for a share
of the requests, and one of them can be down for a while (soak benchmark, issue 12).

    flapping = Flapping(fake_sap, "sap", ratio=0.3, seed=12, client_timeout=1.0, clock=clock)
    flapping.down_between(start, end)   # times of ``clock`` (Unix seconds): every request is dropped
    flapping.injected                   # Counter of the failures injected, by kind

Kinds of failure (``FAILURES`` gives each system its mix):

- ``unavailable``: HTTP 503 from the load balancer or the ICM, the system did nothing;
- ``fault``: SAP's SOAP Fault (HTTP 500, a short dump), nothing created;
- ``reset``: the connection is closed before the system did anything;
- ``lost``: the system did the work (created the order, started the process…), then the connection is
  closed without the reply;
- ``timeout``: the system did the work and answers after the client's timeout;
- ``token_expired``: WeCom invalidated its access tokens (the send gets 42001, the client fetches a new
  token and sends again);
- ``busy``: WeCom's "system busy" (errcode -1 with HTTP 200).

``down``: while the system is down every request is dropped without an answer (kind ``down``).
No Odoo import.
"""

import random
import threading
import time
from collections import Counter

from .fake_sap import DropConnection, fault

FAILURES = {
    "sap": {"unavailable": 3, "fault": 2, "lost": 3, "timeout": 1},
    "plm": {"unavailable": 4, "reset": 1, "lost": 3, "timeout": 1},
    "mes": {"unavailable": 4, "reset": 1, "lost": 3, "timeout": 1},
    "oa": {"unavailable": 4, "reset": 1, "lost": 3, "timeout": 1},
    "wecom": {"token_expired": 4, "busy": 3, "unavailable": 2},
}
WECOM_SEND = "/cgi-bin/message/send"
UNAVAILABLE_PAGE = "<html><head><title>503 Service Unavailable</title></head><body>Service Unavailable</body></html>"


class Flapping:
    """Wraps ``fake``'s answers: ``ratio`` of its requests fail with one of the system's kinds of failure,
    drawn reproducibly from ``seed``; ``down_between()`` takes it down for a while."""

    def __init__(self, fake, system, ratio=0.3, seed=7, client_timeout=1.0, clock=time.time):
        self.fake, self.system, self.ratio = fake, system, ratio
        self.kinds = list(FAILURES[system])
        self.weights = list(FAILURES[system].values())
        self.client_timeout = client_timeout
        self.clock = clock
        self.downtime = None  # (start, end) in ``clock`` seconds
        self.requests = 0
        self.injected = Counter()
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._answer = fake._answer
        fake._answer = self.answer
        self._drop_without_reply(fake)

    def down_between(self, start, end):
        self.downtime = (start, end)

    def is_down(self):
        return bool(self.downtime) and self.downtime[0] <= self.clock() < self.downtime[1]

    # SERVING

    def answer(self, request):
        """The fake's answer to ``request``, or a failure of the system (``DropConnection``: no reply)."""
        with self._lock:
            self.requests += 1
            kind = "down" if self.is_down() else self._draw(request)
            if kind:
                self.injected[kind] += 1
        if kind in ("down", "reset"):
            raise DropConnection
        if kind == "unavailable":
            return 503, UNAVAILABLE_PAGE
        if kind == "fault":
            return 500, fault("Exception CX_SY_OPEN_SQL_DB occurred (short dump)")
        if kind == "busy":
            return 200, {"errcode": -1, "errmsg": "system busy"}
        if kind == "token_expired":
            self.fake.expire_tokens()
        answer = self._answer(request)
        if kind == "lost":
            raise DropConnection
        if kind == "timeout":
            time.sleep(self.client_timeout + 0.3)
        return answer

    def _draw(self, request):
        if self._random.random() >= self.ratio:
            return None
        kind = self._random.choices(self.kinds, self.weights)[0]
        if kind == "token_expired" and request.path != WECOM_SEND:
            return "unavailable"  # the token request itself: WeCom is busy
        return kind

    @staticmethod
    def _drop_without_reply(fake):
        """The fake's server closes the connection without a reply when an answer raises ``DropConnection``
        (the SAP fake does so already)."""
        server = fake._server
        base = server.RequestHandlerClass
        if getattr(base, "wisdom_drops", False):
            return

        class Dropping(base):
            wisdom_drops = True

            def _serve_or_drop(self):
                try:
                    base._serve(self)
                except DropConnection:
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = _serve_or_drop

        server.RequestHandlerClass = Dropping
