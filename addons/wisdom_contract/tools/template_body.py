"""Contract template bodies: ``{{ placeholder }}`` substituted with escaped values.

The body is HTML written by the contract admin (trusted); the values come from the contract and
the customer (untrusted), so each value is HTML-escaped. Unknown placeholders are left visible so
that a typo in a template shows in the printed contract instead of disappearing.
"""

import html
import re

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")


def placeholders(body):
    """Names of the placeholders used in ``body``, in order of first use."""
    seen = []
    for name in PLACEHOLDER.findall(body or ""):
        if name not in seen:
            seen.append(name)
    return seen


def render(body, values):
    """``body`` with each known ``{{ name }}`` replaced by the escaped ``values[name]``."""

    def substitute(match):
        name = match.group(1)
        if name not in values:
            return match.group(0)
        value = values[name]
        return html.escape("" if value is None or value is False else str(value))

    return PLACEHOLDER.sub(substitute, body or "")
