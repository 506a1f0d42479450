"""企业微信 WeCom application messages: byte limits, the per-member rate limit, and a client that
turns WeCom's ``errcode`` into typed errors.

No ``odoo`` import (the token cache lives in a database row, see ``models/wisdom_wecom_token.py``);
``tests/unit/test_wecom_tools.py`` runs without a database.
"""

from dataclasses import dataclass
from datetime import timedelta

import requests

TEXT_MAX_BYTES = 2048
CARD_TITLE_MAX_BYTES = 128
CARD_DESCRIPTION_MAX_BYTES = 512
ELLIPSIS = "…"
MEMBER_LIMIT = 30  # messages per member…
MEMBER_WINDOW = timedelta(minutes=1)  # …per minute; WeCom silently drops the excess
TOKEN_CODES = {40014, 42001}  # invalid / expired access token: fetch a new one and send again once
BUSY_CODES = {-1, 45009}  # system busy, API call limit: retry later


class WeComError(Exception):
    retryable = False

    def __init__(self, message, code=None, http_status=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status


class WeComUnavailable(WeComError):
    """Timeout, connection failure, HTTP 5xx, system busy or call limit: try again later."""

    retryable = True


class TokenRejected(WeComError):
    """40014 / 42001: the access token is invalid or expired."""


class WeComRefused(WeComError):
    """Any other errcode: bad secret (40001), no permission (48002), IP not whitelisted (60020),
    all recipients invalid (81013)… Sending the same message again gives the same answer."""


def truncate_utf8(text, max_bytes, ellipsis=ELLIPSIS):
    """``text`` in at most ``max_bytes`` UTF-8 bytes, cut on a character boundary and ended with
    ``ellipsis`` when something was cut."""
    text = text or ""
    encoded = text.encode()
    if len(encoded) <= max_bytes:
        return text
    room = max_bytes - len(ellipsis.encode())
    if room <= 0:
        return encoded[:max_bytes].decode(errors="ignore")
    return encoded[:room].decode(errors="ignore") + ellipsis


def text_message(touser, agent_id, content):
    return {
        "touser": touser,
        "msgtype": "text",
        "agentid": agent_id,
        "text": {"content": truncate_utf8(content, TEXT_MAX_BYTES)},
        "enable_duplicate_check": 0,
    }


def textcard_message(touser, agent_id, title, description, url, button=""):
    card = {
        "title": truncate_utf8(title, CARD_TITLE_MAX_BYTES),
        "description": truncate_utf8(description, CARD_DESCRIPTION_MAX_BYTES),
        "url": url,
    }
    if button:
        card["btntxt"] = truncate_utf8(button, 4 * 3)  # WeCom shows at most 4 characters
    return {"touser": touser, "msgtype": "textcard", "agentid": agent_id, "textcard": card, "enable_duplicate_check": 0}


def next_slot(planned, now, limit=MEMBER_LIMIT, window=MEMBER_WINDOW):
    """When the next message to one member may go: ``now`` unless ``limit`` messages are already
    planned within one ``window`` of it, then one window after the ``limit``-th last of them.

    ``planned``: send times (datetimes) of the member's messages not older than one window, any order.
    """
    recent = sorted(t for t in planned if t > now - window)
    if len(recent) < limit:
        return now
    return max(now, recent[-limit] + window)


@dataclass(frozen=True)
class Token:
    value: str
    expires_in: int


class WeComClient:
    def __init__(self, base_url, corp_id, secret, session=None, timeout=10):
        self.base_url = base_url.rstrip("/")
        self.corp_id = corp_id
        self.secret = secret
        self.session = session or requests.Session()
        self.timeout = timeout
        self.calls = 0

    def fetch_token(self):
        """A new access token (``GET /cgi-bin/gettoken``)."""
        body = self._call("GET", "/cgi-bin/gettoken", params={"corpid": self.corp_id, "corpsecret": self.secret})
        return Token(body["access_token"], int(body.get("expires_in") or 7200))

    def send(self, token, message):
        """``POST /cgi-bin/message/send``; the reply (``msgid``, ``invaliduser``…)."""
        return self._call("POST", "/cgi-bin/message/send", params={"access_token": token}, json=message)

    def _call(self, method, path, **kwargs):
        self.calls += 1
        try:
            response = self.session.request(method, self.base_url + path, timeout=self.timeout, **kwargs)
        except requests.exceptions.RequestException as error:
            raise WeComUnavailable(f"WeCom did not answer: {error}") from error
        if response.status_code >= 500 or response.status_code in (408, 429):
            raise WeComUnavailable(f"HTTP {response.status_code}", http_status=response.status_code)
        try:
            body = response.json()
        except ValueError as error:
            raise WeComRefused(
                f"HTTP {response.status_code}: not a JSON answer", http_status=response.status_code
            ) from error
        code = int(body.get("errcode") or 0)
        text = f"{code}: {body.get('errmsg') or ''}".strip()
        if code in TOKEN_CODES:
            raise TokenRejected(text, code=code, http_status=response.status_code)
        if code in BUSY_CODES:
            raise WeComUnavailable(text, code=code, http_status=response.status_code)
        if code:
            raise WeComRefused(text, code=code, http_status=response.status_code)
        return body
