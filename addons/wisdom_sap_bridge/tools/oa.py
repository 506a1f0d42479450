"""OA approvals over REST JSON: the configuration (URL paths, JSON field names, decision map), the
approval request the CRM starts for a contract's tier review, OA's answers, and the decision OA pushes
back to ``/wisdom_oa/decision``.

One OA process per tier review: the CRM's reference of the review (``WISDOM-TR<review id>``) is the
idempotency key of the request and travels in both directions. No ``odoo`` import: the models call
these with plain values and ``tests/unit/test_oa_tools.py`` runs without a database.

There is no standard OA interface: everything OA-specific is in ``DEFAULT_CONFIG``, overridden per
installation by the JSON of the OA endpoint's *REST Mapping* (merged over the defaults, key by key).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from . import rest_json

DEFAULT_CONFIG = {
    "process_path": "/api/approvals",  # POST: start the approval process of a review
    # GET: the process OA has under a reference, asked after a failed attempt (a reply may have been lost);
    # "" when OA cannot look a process up (its 409 on a reference sent twice is then relied upon)
    "lookup_path": "/api/approvals/by-ref/{reference}",
    # POST: withdraw the process of a review that was restarted or decided in the CRM; "" to never withdraw
    "cancel_path": "/api/approvals/{process_id}/cancel",
    "auth_header": "Authorization",
    "auth_scheme": "Bearer",  # the header is "<scheme> <endpoint Key>"; "" sends the Key alone
    "reference_prefix": "WISDOM-TR",  # + the review id: the CRM's reference of a review
    # An answer carrying this field (a dotted path: "result.success") succeeded only with one of these values;
    # an answer without it succeeded when its HTTP status did. "" turns the check off.
    "success_field": "success",
    "success_values": [True, "true", "SUCCESS", "OK", "0", 0],
    # logical name → JSON key in OA's bodies; answers may name a dotted path ("data.requestId")
    "fields": {
        "reference": "externalRef",
        "title": "title",
        "contract": "contractNo",
        "customer": "customer",
        "amount": "amount",
        "currency": "currency",
        "tier": "tier",
        "reasons": "reasons",
        "reviewers": "reviewers",
        "requester": "requester",
        "link": "link",
        "process_id": "processId",
        "status": "status",
        "message": "message",
        "error_code": "errorCode",
        "reason": "reason",
        # the decision OA pushes back
        "decision": "decision",
        "approver": "approver",  # an OA user id (res.users.oa_user_id) or a CRM login
        "comment": "comment",
        "decided_at": "decidedAt",
    },
    # keys of one reviewer (and of the requester) in the request
    "person_fields": {"login": "login", "oa_user_id": "oaUserId", "name": "name", "email": "email"},
    # OA's decision value → approved or rejected
    "decision_map": {
        "APPROVED": "approved",
        "APPROVE": "approved",
        "AGREE": "approved",
        "PASS": "approved",
        "REJECTED": "rejected",
        "REJECT": "rejected",
        "DISAGREE": "rejected",
        "REFUSED": "rejected",
    },
}
DECISIONS = ("approved", "rejected")


class OaError(ValueError):
    """OA's answer or decision cannot be read (a configuration or protocol mismatch)."""


@dataclass(frozen=True)
class Person:
    login: str
    oa_user_id: str = ""
    name: str = ""
    email: str = ""


@dataclass(frozen=True)
class ApprovalRequest:
    """A tier review of a contract, to be approved in OA."""

    reference: str
    title: str
    contract: str
    customer: str
    amount: float
    currency: str
    tier: str
    reviewers: tuple[Person, ...]
    requester: Person | None = None
    reasons: tuple[str, ...] = ()
    link: str = ""


@dataclass(frozen=True)
class Decision:
    """OA's decision on a review: ``approved`` or ``rejected``, by ``approver`` (OA user id or login)."""

    reference: str
    process_id: str
    decision: str
    approver: str
    comment: str = ""
    decided_at: datetime | None = None  # UTC, naive

    @property
    def key(self):
        """Idempotency key of the decision: the same decision on the same review is applied once."""
        return f"{self.reference or self.process_id}:{self.decision}"


# CONFIGURATION


def load_config(text):
    """``DEFAULT_CONFIG`` with the installation's JSON merged over it (``fields``, ``person_fields`` and
    ``decision_map`` key by key).

    :raise OaError: the JSON cannot be read, is not an object, or maps to an unknown decision
    """
    try:
        config = rest_json.merge_config(DEFAULT_CONFIG, text, ("fields", "person_fields", "decision_map"))
    except ValueError as error:
        raise OaError(str(error)) from error
    bad = sorted({str(v) for v in config["decision_map"].values() if v not in DECISIONS})
    if bad:
        raise OaError(f"Unknown decisions in 'decision_map': {', '.join(bad)} (use {', '.join(DECISIONS)}).")
    if not isinstance(config["success_values"], list):
        raise OaError("'success_values' of the REST mapping must be a JSON list.")
    return config


def reference(config, review_id):
    return f"{config['reference_prefix']}{review_id}"


def url(base_url, config, path_key, **params):
    """The URL of ``config[path_key]`` with ``params`` quoted into it ("" when the path is switched off)."""
    path = config.get(path_key) or ""
    if not path:
        return ""
    return base_url.rstrip("/") + path.format(**{k: quote(str(v), safe="") for k, v in params.items()})


def headers(config, key):
    return rest_json.headers(config, key)


# BUILDING


def _person(person, config):
    names = config["person_fields"]
    values = {"login": person.login, "oa_user_id": person.oa_user_id, "name": person.name, "email": person.email}
    return {names[k]: v for k, v in values.items() if names.get(k)}


def build_request(request, config):
    """The JSON body that starts the approval process of a review."""
    names = config["fields"]
    values = {
        "reference": request.reference,
        "title": request.title,
        "contract": request.contract,
        "customer": request.customer,
        "amount": request.amount,
        "currency": request.currency,
        "tier": request.tier,
        "reasons": list(request.reasons),
        "reviewers": [_person(person, config) for person in request.reviewers],
        "requester": _person(request.requester, config) if request.requester else None,
        "link": request.link,
    }
    return {names[key]: value for key, value in values.items() if names.get(key)}


def build_cancel(reference, reason, config):
    """The JSON body that withdraws a process."""
    names = config["fields"]
    return {names["reference"]: reference, names["reason"]: reason}


# READING


def read_path(body, path):
    """The value at the dotted ``path`` of a JSON object (None when a step is missing)."""
    value = body
    for step in (path or "").split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(step)
    return value


def business_error(body, config):
    """``(code, text)`` when OA's answer says it failed (``success_field`` present with another value),
    else None."""
    field = config.get("success_field")
    if not field or not isinstance(body, dict):
        return None
    value = read_path(body, field)
    # compared with their JSON types: false is not 0, "1" is not 1
    if value is None or any(type(v) is type(value) and v == value for v in config["success_values"]):
        return None
    return error_text(body, config)


def error_text(body, config):
    """``(code, text)`` of an error answer (empty strings when it has neither)."""
    if not isinstance(body, dict):
        return "", ""
    names = config["fields"]
    code = read_path(body, names["error_code"])
    text = read_path(body, names["message"]) or body.get("error")
    return str(code or ""), str(text or "")


def parse_process_id(body, config):
    """OA's process id in its answer to a request, a look-up or a duplicate (409).

    :raise OaError: not a JSON object, or no process id
    """
    if not isinstance(body, dict):
        raise OaError("OA's answer is not a JSON object.")
    path = config["fields"]["process_id"]
    process_id = str(read_path(body, path) or "").strip()
    if not process_id:
        raise OaError(f"OA's answer has no '{path}'.")
    return process_id


def parse_datetime(value):
    """An ISO 8601 date-time (with or without offset; without one it is taken as UTC) or Unix seconds, as
    naive UTC.

    :raise OaError: neither
    """
    if value in (None, ""):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC).replace(tzinfo=None)
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise OaError(f"'{value}' is not an ISO 8601 date and time.") from error
    if moment.tzinfo:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def parse_decision(body, config):
    """The decision OA pushed, as a ``Decision``.

    :raise OaError: not a JSON object, no reference nor process id, no approver, or a decision the map
        does not know
    """
    if not isinstance(body, dict):
        raise OaError("The decision is not a JSON object.")
    names = config["fields"]
    ref = str(read_path(body, names["reference"]) or "").strip()
    process_id = str(read_path(body, names["process_id"]) or "").strip()
    if not ref and not process_id:
        raise OaError(f"The decision names no review: send '{names['reference']}' or '{names['process_id']}'.")
    raw = read_path(body, names["decision"])
    text = str(raw if raw is not None else "").strip()
    decision = config["decision_map"].get(text) or config["decision_map"].get(text.upper())
    if not decision and text.lower() in DECISIONS:
        decision = text.lower()
    if not decision:
        raise OaError(f"Unknown decision '{text}': add it to the decision map of the REST mapping.")
    approver = str(read_path(body, names["approver"]) or "").strip()
    if not approver:
        raise OaError(f"The decision has no '{names['approver']}'.")
    return Decision(
        reference=ref,
        process_id=process_id,
        decision=decision,
        approver=approver,
        comment=str(read_path(body, names["comment"]) or "").strip(),
        decided_at=parse_datetime(read_path(body, names["decided_at"])),
    )
