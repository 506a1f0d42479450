"""PLM material-code requests over REST JSON: the configuration (URL paths, JSON field names, status
map), the request body, and the reading of PLM's answers and callbacks.

PLM answers a request at once with its request id; the code comes later, pushed to the CRM's callback
or read by polling the request. No ``odoo`` import: the models call these with plain values and
``tests/unit/test_plm_tools.py`` runs without a database.

There is no standard PLM interface: everything PLM-specific is in ``DEFAULT_CONFIG``, overridden per
installation by the JSON of the PLM endpoint's *REST Mapping* (merged over the defaults, key by key).
"""

from dataclasses import dataclass

from . import rest_json

DEFAULT_CONFIG = {
    "request_path": "/api/material-requests",  # POST: a new request
    "status_path": "/api/material-requests/{request_id}",  # GET: the request's state
    "auth_header": "Authorization",
    "auth_scheme": "Bearer",  # the header is "<scheme> <endpoint Key>"; "" sends the Key alone
    # logical name → JSON key in PLM's bodies
    "fields": {
        "reference": "externalRef",  # the CRM's idempotency key of the request (one per demand item)
        "name": "name",
        "specification": "specification",
        "description": "technicalRequirements",
        "quantity": "quantity",
        "uom": "uom",
        "customer": "customer",
        "demand": "demandNo",
        "requester": "requester",
        "request_id": "requestId",
        "status": "status",
        "code": "materialCode",
        "message": "message",
    },
    # PLM's status value → pending (keep waiting), done (the code is there), rejected (PLM refused)
    "status_map": {
        "PENDING": "pending",
        "IN_PROGRESS": "pending",
        "APPROVED": "done",
        "DONE": "done",
        "REJECTED": "rejected",
    },
}
STATUSES = ("pending", "done", "rejected")


class PlmError(ValueError):
    """PLM's answer or callback cannot be read (a configuration or protocol mismatch)."""


@dataclass(frozen=True)
class MaterialRequest:
    """A demand item for which a material code is requested."""

    reference: str
    name: str
    specification: str = ""
    description: str = ""
    quantity: float = 0.0
    uom: str = ""
    customer: str = ""
    demand: str = ""
    requester: str = ""


@dataclass(frozen=True)
class MaterialStatus:
    """PLM's word on a request: its id, ``pending``/``done``/``rejected``, the code once done."""

    request_id: str
    status: str
    code: str = ""
    message: str = ""
    reference: str = ""


# CONFIGURATION


def load_config(text):
    """``DEFAULT_CONFIG`` with the installation's JSON merged over it (``fields`` and ``status_map`` key
    by key).

    :raise PlmError: the JSON cannot be read, is not an object, or maps to an unknown status
    """
    try:
        config = rest_json.merge_config(DEFAULT_CONFIG, text, ("fields", "status_map"))
    except ValueError as error:
        raise PlmError(str(error)) from error
    bad = sorted({v for v in config["status_map"].values() if v not in STATUSES})
    if bad:
        raise PlmError(f"Unknown statuses in 'status_map': {', '.join(bad)} (use {', '.join(STATUSES)}).")
    return config


def url(base_url, config, path_key, **params):
    return base_url.rstrip("/") + config[path_key].format(**params)


def headers(config, key):
    return rest_json.headers(config, key)


# BUILDING


def build_request(request, config):
    """The JSON body of a material-code request."""
    names = config["fields"]
    values = {
        "reference": request.reference,
        "name": request.name,
        "specification": request.specification,
        "description": request.description,
        "quantity": request.quantity,
        "uom": request.uom,
        "customer": request.customer,
        "demand": request.demand,
        "requester": request.requester,
    }
    return {names[key]: value for key, value in values.items() if names.get(key)}


# READING


def parse_status(body, config, default_status="pending"):
    """PLM's answer (to a request, a poll or a callback) as a ``MaterialStatus``.

    :raise PlmError: not a JSON object, no request id, or a status the map does not know
    """
    if not isinstance(body, dict):
        raise PlmError("PLM's answer is not a JSON object.")
    names = config["fields"]
    request_id = str(body.get(names["request_id"]) or "").strip()
    if not request_id:
        raise PlmError(f"PLM's answer has no '{names['request_id']}'.")
    code = str(body.get(names["code"]) or "").strip()
    raw = body.get(names["status"])
    if raw in (None, ""):
        status = "done" if code else default_status
    else:
        status = config["status_map"].get(str(raw).strip()) or config["status_map"].get(str(raw).strip().upper())
        if not status:
            raise PlmError(f"Unknown PLM status '{raw}': add it to the status map of the REST mapping.")
    if status == "done" and not code:
        raise PlmError(f"PLM reports request {request_id} done without '{names['code']}'.")
    return MaterialStatus(
        request_id=request_id,
        status=status,
        code=code if status == "done" else "",
        message=str(body.get(names["message"]) or "").strip(),
        reference=str(body.get(names["reference"]) or "").strip(),
    )
