"""A small REST JSON client for the bridges whose systems have no standard API (PLM, MES): it
sends, and turns the transport's failures into typed errors; the caller reads the status it expects
(200, 404, 409…) from the answer.

No ``odoo`` import; ``tests/unit/test_plm_tools.py`` runs it against a fake on 127.0.0.1.
"""

import json
from dataclasses import dataclass

import requests


class RestError(Exception):
    retryable = False

    def __init__(self, message, http_status=None, body=None):
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.body = body


class RestUnavailable(RestError):
    """Timeout, connection failure, HTTP 5xx, 408 or 429: try again later."""

    retryable = True


class RestAuthError(RestError):
    """HTTP 401 or 403: the credential is wrong or expired; the integration admin must fix it."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: object  # the decoded JSON, or None when the answer had none


def call(method, url, headers=None, body=None, timeout=10, session=None):
    """Send one request and return its ``Answer`` (any status below 500 but 401/403/408/429).

    :raise RestUnavailable: no answer in time, no connection, HTTP 5xx/408/429
    :raise RestAuthError: HTTP 401/403
    """
    sender = session or requests
    try:
        response = sender.request(method, url, headers=headers, json=body, timeout=timeout)
    except requests.exceptions.RequestException as error:
        raise RestUnavailable(f"no answer from {url}: {error}") from error
    status = response.status_code
    try:
        decoded = response.json() if response.content else None
    except ValueError:
        decoded = None
    if status >= 500 or status in (408, 429):
        raise RestUnavailable(f"HTTP {status}", http_status=status, body=decoded)
    if status in (401, 403):
        raise RestAuthError(f"HTTP {status}: credential refused", http_status=status, body=decoded)
    return Answer(status, decoded)


def merge_config(defaults, text, nested=()):
    """``defaults`` with the installation's JSON ``text`` merged over it (the ``nested`` keys key by key).

    :raise ValueError: the JSON cannot be read, is not an object, or a nested key is not an object
    """
    if not text or not text.strip():
        overrides = {}
    else:
        try:
            overrides = json.loads(text)
        except ValueError as error:
            raise ValueError(f"The REST mapping is not valid JSON: {error}") from error
        if not isinstance(overrides, dict):
            raise ValueError("The REST mapping must be a JSON object.")
    config = {**defaults, **overrides}
    for key in nested:
        extra = overrides.get(key) or {}
        if not isinstance(extra, dict):
            raise ValueError(f"'{key}' of the REST mapping must be a JSON object.")
        config[key] = {**defaults[key], **extra}
    return config


def headers(config, key):
    """JSON request headers with the endpoint's Key as credential (``auth_header``/``auth_scheme`` of the
    mapping; none when the Key is empty)."""
    result = {"Content-Type": "application/json", "Accept": "application/json"}
    if key:
        scheme = config.get("auth_scheme") or ""
        result[config.get("auth_header") or "Authorization"] = f"{scheme} {key}".strip()
    return result
