from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_datetime

from ..tools import eflow

EFLOW_WAITING = [
    ("person", "A Person"),
    ("plm", "PLM"),
    ("sap", "SAP"),
    ("mes", "MES"),
    ("oa", "OA"),
]
EFLOW_SYSTEMS = ("plm", "sap", "mes", "oa")
STUCK_HOURS_PARAM = "wisdom_sap_bridge.eflow_stuck_hours"
DEFAULT_STUCK_HOURS = 24
ERROR_LENGTH = 240


class WisdomContractDemand(models.Model):
    """The demand's e-flow (电子流): every step from the demand to the planned order in MES, with who or
    which system it waits for and since when (rule: ``tools/eflow.py``)."""

    _inherit = "wisdom.contract.demand"

    eflow_state_dates = fields.Json(string="Step Dates", readonly=True, copy=False)
    eflow_html = fields.Html(string="E-flow", compute="_compute_eflow_html", sanitize=False)
    eflow_step = fields.Selection(
        [
            ("draft", "Demand Entry"),
            ("pm_review", "Product Manager Review"),
            ("contract_review", "Contract Review"),
            ("coding", "Material Codes"),
            ("planned", "Contract Signing"),
            ("sap", "SAP Sales Order"),
            ("mes", "MES Planned Order"),
        ],
        string="Current Step",
        compute="_compute_eflow",
        store=True,
        index=True,
    )
    eflow_waiting_for = fields.Selection(
        EFLOW_WAITING,
        string="Waiting For",
        compute="_compute_eflow",
        store=True,
        index=True,
        help="Who the current step of the e-flow waits for: a person, or the system (PLM, SAP, MES, OA).",
    )
    eflow_since = fields.Datetime(
        string="Waiting Since", compute="_compute_eflow", store=True, index=True, help="When the current step began."
    )
    eflow_blocked = fields.Boolean(
        string="Dead Letter",
        compute="_compute_eflow",
        store=True,
        help="A message to another system was refused: the integration admin opens it and retries it.",
    )
    eflow_stuck = fields.Boolean(
        string="Stuck",
        compute="_compute_eflow_stuck",
        search="_search_eflow_stuck",
        help="The current step has lasted longer than the hours of the system parameter "
        "wisdom_sap_bridge.eflow_stuck_hours (24 by default).",
    )

    # CRUD METHODS

    def write(self, vals):
        if "state" not in vals:
            return super().write(vals)
        now = fields.Datetime.to_string(fields.Datetime.now())
        changing = self.filtered(lambda d: d.state != vals["state"])
        for demand in changing:
            dates = {**(demand.eflow_state_dates or demand._eflow_tracked_dates()), vals["state"]: now}
            super(WisdomContractDemand, demand).write({**vals, "eflow_state_dates": dates})
        return super(WisdomContractDemand, self - changing).write(vals) if self - changing else True

    # COMPUTE METHODS

    @api.depends(
        "state",
        "eflow_state_dates",
        "line_ids.line_state",
        "line_ids.plm_state",
        "line_ids.plm_error",
        "line_ids.plm_message_id.state",
        "line_ids.plm_message_id.retries_exhausted",
        "order_ids.state",
        "order_ids.review_state",
        "order_ids.sap_state",
        "order_ids.mes_state",
        "order_ids.sap_message_id.retries_exhausted",
        "order_ids.mes_message_id.retries_exhausted",
    )
    def _compute_eflow(self):
        for demand in self:
            steps = eflow.steps(demand._eflow_facts())
            who, since, blocked = eflow.waiting_for(steps)
            step = eflow.current(steps)
            demand.eflow_step = step.key if step else False
            demand.eflow_waiting_for = who or False
            demand.eflow_since = since or False
            demand.eflow_blocked = blocked

    @api.depends_context("uid", "lang", "tz")
    def _compute_eflow_html(self):
        for demand in self:
            steps = eflow.steps(demand._eflow_facts()) if demand.id else []
            demand.eflow_html = eflow.render_html([demand._eflow_row(step) for step in steps]) if steps else False

    def _compute_eflow_stuck(self):
        now, hours = fields.Datetime.now(), self._eflow_stuck_hours()
        for demand in self:
            demand.eflow_stuck = bool(demand.eflow_waiting_for) and eflow.stuck(demand.eflow_since, now, hours)

    def _search_eflow_stuck(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        limit = fields.Datetime.now() - timedelta(hours=self._eflow_stuck_hours())
        stuck = [("eflow_waiting_for", "!=", False), ("eflow_since", "<", limit)]
        return stuck if (True in value) == (operator == "in") else ["!", "&", *stuck]

    # BUSINESS METHODS

    @api.model
    def _eflow_stuck_hours(self):
        value = self.env["ir.config_parameter"].sudo().get_param(STUCK_HOURS_PARAM, DEFAULT_STUCK_HOURS)
        try:
            return max(float(value), 0.0)
        except ValueError:
            return DEFAULT_STUCK_HOURS

    def _eflow_facts(self):
        """The demand, its items' PLM requests, its contract and the messages they wait for, as
        ``tools.eflow.DemandFacts`` (read as superuser: the caller may read the demand)."""
        self.ensure_one()
        demand = self.sudo()
        dates = demand.eflow_state_dates or demand._eflow_tracked_dates()
        if demand.state not in dates and demand.create_date:
            # created before the e-flow recorded its dates, without tracking: at least since its creation
            dates = {**dates, demand.state: fields.Datetime.to_string(demand.create_date)}
        lines = demand.line_ids
        return eflow.DemandFacts(
            state=demand.state,
            created_at=demand.create_date or fields.Datetime.now(),
            state_dates={state: fields.Datetime.to_datetime(value) for state, value in dates.items()},
            rejected_state=demand.rejected_state or "",
            reason=demand.reason or "",
            rep=demand.user_id.name or "",
            product_manager=demand.product_manager_id.name or "",
            contract_admin=demand.contract_admin_id.name or "",
            has_new_items=any(line.line_state == "needs_code" or line.was_coded for line in lines),
            code_requests=tuple(
                eflow.CodeRequest(
                    item=line.name,
                    plm_state=line.plm_state,
                    since=line.plm_state_since,
                    error=line.plm_error or "",
                    message=self._eflow_message(line.plm_message_id),
                )
                for line in lines
                if line.plm_state
            ),
            contract=demand._eflow_contract_facts(),
            connected=frozenset(
                self.env["wisdom.integration.endpoint"]
                .sudo()
                .search([("system", "in", EFLOW_SYSTEMS)])
                .mapped("system")
            ),
        )

    def _eflow_contract_facts(self):
        """The demand's contract (the latest one not cancelled) as ``tools.eflow.ContractFacts``."""
        orders = self.sudo().order_ids.sorted("id")
        order = orders.filtered(lambda o: o.state != "cancel")[-1:] or orders[-1:]
        if not order:
            return None
        pending = order.review_ids.filtered(lambda r: r.status in ("waiting", "pending"))
        reviews = pending or order.review_ids
        return eflow.ContractFacts(
            id=order.id,
            name=order.contract_no or order.name,
            state=order.state,
            created_at=order.create_date,
            review_state=order.review_state or "draft",
            review_since=min(reviews.mapped("create_date")) if reviews else None,
            reviewers=tuple(
                name
                for name in pending.mapped(
                    lambda r: r.reviewer_group_id.name or ", ".join(r.reviewer_ids.mapped("name"))
                )
                if name
            ),
            signed_at=order.date_order if order.state == "sale" else None,
            sap_number=order.sap_order_no or "",
            sap_message=self._eflow_message(order.sap_message_id),
            mes_number=order.mes_order_no or "",
            mes_message=self._eflow_message(order.mes_message_id),
            oa_message=self._eflow_message(self._eflow_oa_message(order)),
        )

    @api.model
    def _eflow_oa_message(self, order):
        """The latest OA approval request of the contract's open approvals (the OA bridge, when installed)."""
        reviews = order.review_ids.filtered(lambda r: r.status in ("waiting", "pending"))
        if not reviews:
            return self.env["wisdom.integration.message"]
        return (
            self.env["wisdom.integration.message"]
            .sudo()
            .search(
                [
                    ("system", "=", "oa"),
                    ("operation", "=", "approval_request"),
                    ("res_model", "=", "tier.review"),
                    ("res_id", "in", reviews.ids),
                ],
                order="id desc",
                limit=1,
            )
        )

    @api.model
    def _eflow_message(self, message):
        if not message:
            return None
        message = message.sudo()
        return eflow.MessageFacts(
            id=message.id,
            system=message.system,
            state=message.state,
            attempts=message.attempts,
            created_at=message.create_date,
            next_attempt_at=message.next_attempt_at or None,
            first_failure_at=message.first_failure_at or None,
            done_at=message.done_at or None,
            last_error=(message.last_error or "")[:ERROR_LENGTH],
            retries_exhausted=message.retries_exhausted,
        )

    def _eflow_tracked_dates(self):
        """Step dates of a demand created before the e-flow recorded them, read from the chatter's tracking
        of the status (its labels may be in any installed language)."""
        self.ensure_one()
        field = self.env["ir.model.fields"]._get(self._name, "state")
        labels = {}
        for code, _name in self.env["res.lang"].get_installed():
            selection = self._fields["state"]._description_selection(self.with_context(lang=code).env)
            labels.update({label: key for key, label in selection})
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("field_id", "=", field.id),
                    ("mail_message_id.model", "=", self._name),
                    ("mail_message_id.res_id", "=", self.id),
                ],
                order="id",
            )
        )
        dates = {}
        for tracking in trackings:
            state = labels.get(tracking.new_value_char)
            if state:
                dates[state] = fields.Datetime.to_string(tracking.mail_message_id.date)
        return dates

    # RENDERING

    def _eflow_row(self, step):
        """One step as a ``tools.eflow.Row``, in the reader's language and time zone."""
        systems = dict(self._fields["eflow_waiting_for"]._description_selection(self.env))
        system = systems.get(step.system, step.system.upper())
        status_labels = {
            eflow.DONE: self.env._("Done"),
            eflow.CURRENT: self.env._("To Do"),
            eflow.WAITING: self.env._("Waiting for %s", system),
            eflow.DEAD: self.env._("Dead Letter"),
            eflow.TODO: self.env._("Not Reached"),
            eflow.SKIPPED: self.env._("Skipped"),
        }
        when = self._eflow_when(step.since)
        if not when:
            since = ""
        elif step.status == eflow.DONE:
            since = self.env._("on %s", when)
        else:
            since = self.env._("since %s", when)
        return eflow.Row(
            status=step.status,
            label=dict(self._fields["eflow_step"]._description_selection(self.env))[step.key],
            status_label=status_labels[step.status],
            actor=step.who if step.status == eflow.CURRENT else "",
            since=since,
            detail=self._eflow_detail(step, system),
            links=self._eflow_links(step),
        )

    def _eflow_detail(self, step, system):
        params, when = step.params, self._eflow_when
        texts = {
            "submit": lambda: self.env._("Submit the demand to the product manager."),
            "review_items": lambda: self.env._("Map each item to a product or mark it for a new material code."),
            "review_terms": lambda: self.env._("Approve the demand's terms."),
            "enter_codes": lambda: self.env._(
                "Enter the material codes (or request them from PLM), then confirm them."
            ),
            "plm_rejected": lambda: self.env._(
                "PLM gave no code (%s): request it again or enter it by hand.", params["error"]
            ),
            "plm_queued": lambda: self.env._("%s material code request(s) being sent to PLM.", params["count"]),
            "plm_requested": lambda: self.env._(
                "PLM is coding %s item(s); the codes arrive by themselves.", params["count"]
            ),
            "down": lambda: self.env._(
                "%(system)s down since %(first)s: attempt %(attempt)s at %(next)s, by itself (%(error)s)",
                system=system,
                first=when(params["first_failure"]),
                attempt=params["attempt"],
                next=when(params["next_at"]) or "-",
                error=params["error"] or "-",
            ),
            "down_resume": lambda: self.env._(
                "%(system)s down since %(first)s (%(attempts)s attempts): sent again by itself once %(system)s "
                "answers (%(error)s)",
                system=system,
                first=when(params["first_failure"]),
                attempts=params["attempts"],
                error=params["error"] or "-",
            ),
            "dead": lambda: self.env._(
                "Dead letter: %s. The integration admin opens it to retry.", params["error"] or "-"
            ),
            "create_contract": lambda: self.env._("Create the contract from the demand."),
            "contract_missing": lambda: self.env._("No contract is linked to this demand any more."),
            "contract_review": lambda: self.env._("Approvals of the contract waiting: %s", params["reviewers"] or "-"),
            "oa_approval": lambda: self.env._("Approval in OA: %s", params["reviewers"] or "-"),
            "contract_review_rejected": lambda: self.env._(
                "An approver rejected the contract: rework it and ask again."
            ),
            "contract_review_blocked": lambda: self.env._("The contract's review blocks it: see its findings."),
            "submit_review": lambda: self.env._("Submit the contract for review."),
            "sign": lambda: self.env._("Confirm the contract once it is signed."),
            "signed": lambda: self.env._("Contract signed."),
            "contract_cancelled": lambda: self.env._("The contract is cancelled."),
            "queued": lambda: self.env._("Sent to %s, waiting for its answer.", system),
            "number": lambda: self.env._("No. %s", params["number"]),
            "not_connected": lambda: self.env._("No active %s endpoint: not sent.", system),
            "not_sent": lambda: self.env._("Not sent to %s (signed before its endpoint was active).", system),
            "rejected": lambda: self.env._("Rejected: %s. Rework the demand or cancel it.", params["reason"] or "-"),
            "cancelled": lambda: self.env._("Cancelled: %s", params["reason"] or "-"),
            "skipped_no_new_item": lambda: self.env._("No new item: no material code needed."),
        }
        text = texts.get(step.detail)
        return text() if text else ""

    def _eflow_links(self, step):
        links = []
        Message = self.env["wisdom.integration.message"]
        if step.message_id and Message.has_access("read"):
            links.append((self.env._("Open the message"), f"/odoo/wisdom.integration.message/{step.message_id}"))
        if step.contract_id and step.key == "planned":
            contract = self.env["sale.order"].browse(step.contract_id)
            if contract.has_access("read"):
                links.append((self.env._("Open the contract"), f"/odoo/sale.order/{contract.id}"))
        return tuple(links)

    def _eflow_when(self, value):
        return format_datetime(self.env, value, dt_format="short") if value else ""
