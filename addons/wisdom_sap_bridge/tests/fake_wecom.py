"""A fake WeCom (企业微信) server on the test kit: ``/cgi-bin/gettoken`` and ``/cgi-bin/message/send``
with WeCom's envelopes (``errcode``/``errmsg``), byte limits, token expiry and its silent per-member
limit. No Odoo import."""

import itertools
import time

from odoo.addons.wisdom_crm_base.tests.fake_server import FakeServer

LIMITS = {
    "text": (("text", "content", 2048),),
    "textcard": (("textcard", "title", 128), ("textcard", "description", 512)),
}


class FakeWecom(FakeServer):
    def __init__(self, corp_id="ww-corp-test", secret="wecom-secret-test", agent_id=1000002):
        super().__init__()
        self.corp_id, self.secret, self.agent_id = corp_id, secret, agent_id
        self.valid_tokens = set()
        self.tokens_issued = 0
        self.delivered = []  # messages accepted and shown to the member
        self.dropped = []  # accepted but silently dropped (over 30 per member and minute)
        self.errcodes = []  # errcodes of the next sends (e.g. -1, 81013)
        self._serial = itertools.count(1)
        self.route("GET", "/cgi-bin/gettoken", self._gettoken)
        self.route("POST", "/cgi-bin/message/send", self._send)

    def reset(self):
        result = super().reset()
        self.valid_tokens.clear()
        self.tokens_issued = 0
        self.delivered.clear()
        self.dropped.clear()
        self.errcodes.clear()
        return result

    def expire_tokens(self):
        """Every token issued so far expires (42001 on the next send)."""
        self.valid_tokens.clear()

    def _gettoken(self, request):
        if request.query.get("corpid") != self.corp_id:
            return 200, {"errcode": 40013, "errmsg": "invalid corpid"}
        if request.query.get("corpsecret") != self.secret:
            return 200, {"errcode": 40001, "errmsg": "invalid credential"}
        self.tokens_issued += 1
        token = f"TOKEN-{self.tokens_issued}-{next(self._serial)}"
        self.valid_tokens.add(token)
        return 200, {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}

    def _send(self, request):
        token = request.query.get("access_token")
        if not token or not token.startswith("TOKEN-"):
            return 200, {"errcode": 40014, "errmsg": "invalid access_token"}
        if token not in self.valid_tokens:
            return 200, {"errcode": 42001, "errmsg": "access_token expired"}
        if self.errcodes:
            code = self.errcodes.pop(0)
            return 200, {"errcode": code, "errmsg": "simulated", "invaliduser": ""}
        message = request.json()
        if message.get("agentid") != self.agent_id:
            return 200, {"errcode": 40056, "errmsg": "invalid agentid"}
        for section, key, limit in LIMITS.get(message.get("msgtype"), ()):
            if len(message[section][key].encode()) > limit:
                return 200, {"errcode": 45002, "errmsg": f"{key} size out of limit"}
        member = message["touser"]
        now = time.time()
        recent = [m for m in self.delivered if m["touser"] == member and now - m["_at"] < 60]
        target = self.dropped if len(recent) >= 30 else self.delivered
        target.append({**message, "_at": now})
        return 200, {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": f"msg{next(self._serial)}"}
