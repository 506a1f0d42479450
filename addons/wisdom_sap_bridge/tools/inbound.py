"""What every system that pushes to the CRM shares (SAP receipts and deliveries, PLM material codes,
MES progress, OA decisions): the bearer token of the request, its signature and its JSON body.

The signature (required where the endpoint has a *Signing Secret*): ``X-Wisdom-Timestamp`` = Unix
seconds, ``X-Wisdom-Signature`` = ``sha256=`` + hex HMAC-SHA256 of ``<timestamp>.<raw body>`` with the
secret; a timestamp more than ``SIGNATURE_WINDOW`` seconds away from the CRM's clock is refused, so a
captured request cannot be replayed later.

No ``odoo`` import: ``tests/unit/test_inbound_tools.py`` runs without a database.
"""

import hashlib
import hmac
import json
import re

BEARER = re.compile(r"^\s*Bearer\s+(\S+)\s*$", re.IGNORECASE)
SIGNATURE_HEADER = "X-Wisdom-Signature"
TIMESTAMP_HEADER = "X-Wisdom-Timestamp"
SIGNATURE_WINDOW = 300  # seconds either side of the CRM's clock


class InboundError(ValueError):
    """The body cannot be read as the document it claims to be (answered with HTTP 400)."""


class SignatureError(ValueError):
    """The request is not signed with the endpoint's secret, or too late (answered with HTTP 401)."""


def bearer_token(header):
    """The token of an ``Authorization: Bearer <token>`` header, or "" without one."""
    match = BEARER.match(header or "")
    return match.group(1) if match else ""


def load(body):
    """The JSON object of a request body (bytes or text)."""
    try:
        data = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError) as error:
        raise InboundError(f"The body is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise InboundError("The body must be a JSON object.")
    return data


def sign(secret, timestamp, body):
    """``sha256=<hex>``: the signature of ``body`` (bytes) sent at ``timestamp`` (Unix seconds)."""
    digest = hmac.new(secret.encode(), str(int(timestamp)).encode() + b"." + (body or b""), hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def check_signature(secret, signature, timestamp, body, now, window=SIGNATURE_WINDOW):
    """Accept ``body`` only when ``signature`` is its HMAC-SHA256 with ``secret`` at ``timestamp`` and that
    timestamp is within ``window`` seconds of ``now`` (compared in constant time).

    :raise SignatureError: missing or malformed headers, a stale timestamp, or a signature that does not match
    """
    try:
        moment = int(str(timestamp or "").strip())
    except ValueError as error:
        raise SignatureError(f"Missing or invalid {TIMESTAMP_HEADER} (Unix seconds).") from error
    if abs(now - moment) > window:
        raise SignatureError(f"{TIMESTAMP_HEADER} is more than {window} seconds away from the CRM's clock.")
    given = str(signature or "").strip()
    if not given:
        raise SignatureError(f"Missing {SIGNATURE_HEADER}.")
    if not given.lower().startswith("sha256="):
        given = "sha256=" + given
    if not hmac.compare_digest(sign(secret, moment, body).encode(), given.lower().encode()):
        raise SignatureError(f"{SIGNATURE_HEADER} does not match the body.")
