"""What every system that pushes to the CRM shares (SAP receipts and deliveries, PLM material codes,
MES progress): the bearer token of the request and its JSON body.

No ``odoo`` import: ``tests/unit/test_inbound_tools.py`` runs without a database.
"""

import json
import re

BEARER = re.compile(r"^\s*Bearer\s+(\S+)\s*$", re.IGNORECASE)


class InboundError(ValueError):
    """The body cannot be read as the document it claims to be (answered with HTTP 400)."""


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
