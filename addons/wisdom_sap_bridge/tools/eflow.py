"""The e-flow of a customer demand (CON-10): demand → product manager review → contract review →
material codes (PLM) → contract → SAP sales order → MES planned order, each step with its status,
who or which system it waits for, since when, and a short detail.

No ``odoo`` import: ``wisdom.contract.demand`` gathers the facts (``DemandFacts``), calls
``steps()`` and translates the detail codes; ``render_html()`` builds the escaped timeline shown on
the demand. Unit tests: ``tests/unit/test_eflow_tools.py``.
"""

from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

# Step statuses
DONE = "done"
CURRENT = "current"  # a person acts
WAITING = "waiting"  # a system acts (or is down and is tried again by itself)
DEAD = "dead"  # a dead letter: someone must open it and retry
TODO = "todo"  # not reached yet
SKIPPED = "skipped"
STATUSES = (DONE, CURRENT, WAITING, DEAD, TODO, SKIPPED)

# Steps, in the order of the flow; the first five are the demand's own states.
DEMAND_STEPS = ("draft", "pm_review", "contract_review", "coding", "planned")
STEPS = (*DEMAND_STEPS, "sap", "mes")
DEMAND_ORDER = (*DEMAND_STEPS, "done")

MESSAGE_WAITING = ("pending", "running", "failed")


@dataclass(frozen=True)
class MessageFacts:
    """An integration message the step waits for (``wisdom.integration.message``)."""

    id: int
    system: str
    state: str  # pending, running, done, failed, dead
    attempts: int = 0
    created_at: datetime | None = None
    next_attempt_at: datetime | None = None
    first_failure_at: datetime | None = None
    done_at: datetime | None = None
    last_error: str = ""
    retries_exhausted: bool = False  # dead because the system stayed down: re-sent by itself

    @property
    def down(self):
        return self.state == "failed" or (self.state == "dead" and self.retries_exhausted)


@dataclass(frozen=True)
class CodeRequest:
    """A new item's material code request (``plm_state`` of the demand item)."""

    item: str
    plm_state: str  # to_request, queued, requested, coded, failed
    since: datetime | None = None
    error: str = ""
    message: MessageFacts | None = None


@dataclass(frozen=True)
class ContractFacts:
    id: int
    name: str
    state: str  # sale.order state: draft, sent, sale, cancel
    created_at: datetime | None = None
    review_state: str = "draft"  # the contract's review: draft (not submitted), blocked, rejected, pending, approved
    review_since: datetime | None = None
    reviewers: tuple = ()
    signed_at: datetime | None = None
    sap_number: str = ""
    sap_message: MessageFacts | None = None
    mes_number: str = ""
    mes_message: MessageFacts | None = None
    oa_message: MessageFacts | None = None


@dataclass(frozen=True)
class DemandFacts:
    state: str
    created_at: datetime
    state_dates: dict = field(default_factory=dict)  # state -> when the demand last entered it
    rejected_state: str = ""
    reason: str = ""
    rep: str = ""
    product_manager: str = ""
    contract_admin: str = ""
    has_new_items: bool = False  # an item needed (or got) a new material code
    code_requests: tuple = ()
    contract: ContractFacts | None = None
    connected: frozenset = frozenset()  # systems with an active endpoint


@dataclass(frozen=True)
class Step:
    key: str
    status: str
    who: str = ""  # the person who acts (status current)
    system: str = ""  # the system waited for (status waiting or dead)
    since: datetime | None = None
    detail: str = ""  # a code the caller translates, see ``DETAILS``
    params: dict = field(default_factory=dict)
    message_id: int = 0  # the integration message to open
    contract_id: int = 0


# Detail codes and their parameters (the caller holds the translated sentences).
DETAILS = {
    "submit": (),
    "review_items": (),
    "review_terms": (),
    "enter_codes": (),
    "plm_rejected": ("error",),
    "plm_queued": ("count",),
    "plm_requested": ("count",),
    "down": ("first_failure", "attempt", "next_at", "error"),
    "down_resume": ("first_failure", "attempts", "error"),
    "dead": ("error",),
    "create_contract": (),
    "contract_missing": (),
    "contract_review": ("reviewers",),
    "oa_approval": ("reviewers",),
    "contract_review_rejected": (),
    "contract_review_blocked": (),
    "submit_review": (),
    "sign": (),
    "signed": (),
    "contract_cancelled": (),
    "queued": (),
    "number": ("number",),
    "not_connected": (),
    "not_sent": (),
    "rejected": ("reason",),
    "cancelled": ("reason",),
    "skipped_no_new_item": (),
}


# STEPS


def steps(facts):
    """The ordered steps of the demand's e-flow (``STEPS``), one ``Step`` each."""
    result = _demand_steps(facts)
    contract = facts.contract
    signed = facts.state == "done" and contract is not None and contract.state == "sale"
    for system, number, message in (
        ("sap", contract and contract.sap_number, contract and contract.sap_message),
        ("mes", contract and contract.mes_number, contract and contract.mes_message),
    ):
        if facts.state == "cancel":
            result.append(Step(system, SKIPPED, system=system))
        elif not signed:
            result.append(Step(system, TODO, system=system))
        else:
            result.append(_system_step(system, number, message, contract, facts.connected))
    return result


def current(steps_):
    """The first step somebody or something acts on (``None`` when the flow has ended)."""
    return next((step for step in steps_ if step.status in (CURRENT, WAITING, DEAD)), None)


def waiting_for(steps_):
    """``(who, since, blocked)`` of the current step: ``who`` is the system waited for, ``"person"``
    when a person acts, ``""`` when the flow has ended; ``blocked`` when a dead letter stops it."""
    step = current(steps_)
    if step is None:
        return "", None, False
    if step.status in (WAITING, DEAD):
        return step.system, step.since, step.status == DEAD
    return "person", step.since, False


def stuck(since, now, hours):
    """The current step has lasted more than ``hours``."""
    return bool(since) and (now - since).total_seconds() > hours * 3600


def _position(facts):
    """Index in ``DEMAND_ORDER`` of the step the demand is at (rejected: the step it was rejected at;
    cancelled: the last step it had entered)."""
    if facts.state == "rejected":
        state = facts.rejected_state or "pm_review"
    elif facts.state == "cancel":
        entered = [s for s in DEMAND_ORDER if s in facts.state_dates and s != "done"]
        state = max(entered, key=lambda s: facts.state_dates[s]) if entered else "draft"
    else:
        state = facts.state
    return DEMAND_ORDER.index(state) if state in DEMAND_ORDER else 0


def _entered(facts, state):
    return facts.state_dates.get(state) or (facts.created_at if state == "draft" else None)


def _demand_steps(facts):
    position = _position(facts)
    result = []
    for index, key in enumerate(DEMAND_STEPS):
        skipped = key == "coding" and not facts.has_new_items
        if index < position:
            if skipped:
                result.append(Step(key, SKIPPED, detail="skipped_no_new_item"))
            else:
                result.append(Step(key, DONE, since=_completed(facts, index)))
        elif index == position:
            result.append(_at_step(facts, key))
        elif facts.state == "cancel" or (skipped and position >= DEMAND_ORDER.index("contract_review")):
            result.append(Step(key, SKIPPED, detail="skipped_no_new_item" if skipped else ""))
        else:
            result.append(Step(key, TODO))
    if facts.state == "done":
        result[-1] = _contract_step(facts)
    return result


def _completed(facts, index):
    """When the step at ``index`` ended: the demand entered a later step (after entering this one)."""
    entered = _entered(facts, DEMAND_ORDER[index])
    later = [
        date
        for date in (facts.state_dates.get(s) for s in DEMAND_ORDER[index + 1 :])
        if date and (entered is None or date >= entered)
    ]
    return min(later) if later else None


def _at_step(facts, key):
    since = _entered(facts, key)
    if facts.state == "rejected":
        return Step(
            key,
            CURRENT,
            who=facts.rep,
            since=_entered(facts, "rejected"),
            detail="rejected",
            params={"reason": facts.reason},
        )
    if facts.state == "cancel":
        return Step(key, SKIPPED, since=_entered(facts, "cancel"), detail="cancelled", params={"reason": facts.reason})
    if key == "draft":
        return Step(key, CURRENT, who=facts.rep, since=since, detail="submit")
    if key == "pm_review":
        return Step(key, CURRENT, who=facts.product_manager, since=since, detail="review_items")
    if key == "contract_review":
        return Step(key, CURRENT, who=facts.contract_admin, since=since, detail="review_terms")
    if key == "coding":
        return _coding_step(facts, since)
    return Step(key, CURRENT, who=facts.rep, since=since, detail="create_contract")


def _coding_step(facts, since):
    """Material codes: waits for PLM while requests are out; a person acts when none is (no PLM
    endpoint, PLM rejected a request, or every code is in and the product manager confirms)."""
    open_requests = [r for r in facts.code_requests if r.plm_state != "coded"]
    dead = [r for r in open_requests if r.message and r.message.state == "dead" and not r.message.retries_exhausted]
    if dead:
        message = dead[0].message
        return Step(
            "coding",
            DEAD,
            system="plm",
            since=since,
            detail="dead",
            params={"error": message.last_error or dead[0].error},
            message_id=message.id,
        )
    down = [r for r in open_requests if r.plm_state in ("queued", "failed") and r.message and r.message.down]
    if down:
        return _down_step("coding", "plm", down[0].message, since)
    for plm_state, detail in (("queued", "plm_queued"), ("requested", "plm_requested")):
        waiting = [r for r in open_requests if r.plm_state == plm_state]
        if waiting:
            message_id = waiting[0].message.id if waiting[0].message else 0
            return Step(
                "coding",
                WAITING,
                system="plm",
                since=since,
                detail=detail,
                params={"count": len(waiting)},
                message_id=message_id,
            )
    rejected = [r for r in open_requests if r.error]
    if rejected:
        return Step(
            "coding",
            CURRENT,
            who=facts.product_manager,
            since=since,
            detail="plm_rejected",
            params={"error": rejected[0].error},
        )
    return Step("coding", CURRENT, who=facts.product_manager, since=since, detail="enter_codes")


def _down_step(key, system, message, since, contract_id=0):
    if message.state == "dead":
        params = {"first_failure": message.first_failure_at, "attempts": message.attempts, "error": message.last_error}
        detail = "down_resume"
    else:
        params = {
            "first_failure": message.first_failure_at,
            "attempt": message.attempts + 1,
            "next_at": message.next_attempt_at,
            "error": message.last_error,
        }
        detail = "down"
    return Step(
        key,
        WAITING,
        system=system,
        since=since,
        detail=detail,
        params=params,
        message_id=message.id,
        contract_id=contract_id,
    )


def _contract_step(facts):
    """The contract made from the demand: its approvals (reviewers, or OA when approvals go there),
    then the signature (confirmation)."""
    contract = facts.contract
    done_at = _entered(facts, "done")
    if contract is None:
        return Step("planned", CURRENT, who=facts.rep, since=done_at, detail="contract_missing")
    ids = {"contract_id": contract.id}
    if contract.state == "sale":
        return Step("planned", DONE, since=contract.signed_at, detail="signed", **ids)
    if contract.state == "cancel":
        return Step("planned", CURRENT, who=facts.rep, since=done_at, detail="contract_cancelled", **ids)
    oa = contract.oa_message
    since = contract.review_since or done_at
    if contract.review_state == "pending":
        if oa and oa.state == "dead" and not oa.retries_exhausted:
            return Step(
                "planned",
                DEAD,
                system="oa",
                since=since,
                detail="dead",
                params={"error": oa.last_error},
                message_id=oa.id,
                **ids,
            )
        if oa and oa.down:
            return _down_step("planned", "oa", oa, since, contract.id)
        if oa and oa.state in MESSAGE_WAITING:
            return Step("planned", WAITING, system="oa", since=since, detail="queued", message_id=oa.id, **ids)
        reviewers = ", ".join(contract.reviewers)
        if oa and oa.state == "done":  # the approval process runs in OA: its decision comes back by itself
            return Step(
                "planned",
                WAITING,
                system="oa",
                since=since,
                detail="oa_approval",
                params={"reviewers": reviewers},
                message_id=oa.id,
                **ids,
            )
        return Step(
            "planned",
            CURRENT,
            who=reviewers,
            since=since,
            detail="contract_review",
            params={"reviewers": reviewers},
            **ids,
        )
    detail = {"draft": "submit_review", "blocked": "contract_review_blocked", "rejected": "contract_review_rejected"}
    return Step("planned", CURRENT, who=facts.rep, since=since, detail=detail.get(contract.review_state, "sign"), **ids)


def _system_step(system, number, message, contract, connected):
    since = contract.signed_at
    ids = {"contract_id": contract.id}
    if number:
        done_at = message.done_at if message and message.done_at else since
        return Step(system, DONE, system=system, since=done_at, detail="number", params={"number": number}, **ids)
    if message is None:
        # not connected when the contract was signed (or signed before the endpoint existed)
        detail = "not_connected" if system not in connected else "not_sent"
        status = SKIPPED if system not in connected else CURRENT
        return Step(system, status, system=system, since=since, detail=detail, **ids)
    since = message.created_at or since
    if message.state == "dead" and not message.retries_exhausted:
        return Step(
            system,
            DEAD,
            system=system,
            since=since,
            detail="dead",
            params={"error": message.last_error},
            message_id=message.id,
            **ids,
        )
    if message.down:
        return _down_step(system, system, message, since, contract.id)
    if message.state == "done":
        return Step(system, DONE, system=system, since=message.done_at, **ids)
    return Step(system, WAITING, system=system, since=since, detail="queued", message_id=message.id, **ids)


# RENDERING


@dataclass(frozen=True)
class Row:
    """One step as shown: every text already translated by the caller (escaped here)."""

    status: str
    label: str
    status_label: str
    actor: str = ""
    since: str = ""
    detail: str = ""
    links: tuple = ()  # (label, url) pairs


ICONS = {
    DONE: ("fa-check-circle", "text-success"),
    CURRENT: ("fa-user-circle", "text-primary"),
    WAITING: ("fa-hourglass-half", "text-warning"),
    DEAD: ("fa-exclamation-triangle", "text-danger"),
    TODO: ("fa-circle-o", "text-muted"),
    SKIPPED: ("fa-minus-circle", "text-muted"),
}


def render_html(rows):
    """A vertical timeline (reads on a 390 px phone as on a PC); every text is escaped, links only
    to URLs of this server (starting with ``/``)."""
    items = []
    for row in rows:
        icon, color = ICONS.get(row.status, ICONS[TODO])
        muted = " text-muted" if row.status in (TODO, SKIPPED) else ""
        parts = [
            Markup('<li class="o_wisdom_eflow_step o_wisdom_eflow_{status} d-flex gap-2 mb-2{muted}">').format(
                status=row.status, muted=muted
            ),
            Markup(
                '<i class="fa fa-lg {icon} {color} mt-1" role="img" aria-label="{title}" title="{title}"></i>'
            ).format(icon=icon, color=color, title=row.status_label),
            Markup('<div class="flex-grow-1 text-break"><div><strong>{label}</strong> · {status}</div>').format(
                label=row.label, status=row.status_label
            ),
        ]
        meta = " · ".join(text for text in (row.actor, row.since) if text)
        if meta:
            parts.append(Markup('<div class="small">{}</div>').format(meta))
        if row.detail:
            parts.append(Markup('<div class="small text-muted">{}</div>').format(row.detail))
        links = [
            Markup('<a href="{url}">{label}</a>').format(url=url, label=label)
            for label, url in row.links
            if label and url.startswith("/") and not url.startswith("//")
        ]
        if links:
            parts.append(Markup('<div class="small d-flex flex-wrap gap-3">{}</div>').format(Markup("").join(links)))
        parts.append(Markup("</div></li>"))
        items.append(Markup("").join(parts))
    return Markup('<ol class="o_wisdom_eflow list-unstyled mb-0">{}</ol>').format(Markup("").join(items))
