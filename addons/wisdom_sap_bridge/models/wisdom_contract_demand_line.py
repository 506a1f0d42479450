import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.wisdom_crm_base.models.res_users import GROUP_INTEGRATION_ADMIN

from ..tools import plm

_logger = logging.getLogger(__name__)

PLM_STATES = [
    ("to_request", "To Request"),
    ("queued", "Sending to PLM"),
    ("requested", "Requested"),
    ("coded", "Coded"),
    ("failed", "Request Failed"),
]
PLM_WAITING = ("to_request", "queued", "requested", "failed")
POLL_BATCH = 200


class WisdomContractDemandLine(models.Model):
    """A new item's material code requested from PLM: the request id comes at once, the code later
    (``/wisdom_plm/callback`` or the poll cron); both find the item by its request id, whatever step
    its demand is at by then."""

    _inherit = "wisdom.contract.demand.line"

    plm_state = fields.Selection(
        PLM_STATES,
        string="Material Code Request",
        compute="_compute_plm_state",
        store=True,
        readonly=True,
        index=True,
        copy=False,
    )
    plm_state_since = fields.Datetime(
        string="Since", compute="_compute_plm_state", store=True, readonly=True, copy=False
    )
    plm_request_id = fields.Char(string="PLM Request", readonly=True, copy=False, index="btree_not_null")
    plm_error = fields.Char(string="PLM Note", readonly=True, copy=False)
    plm_round = fields.Integer(
        string="PLM Requests Sent", readonly=True, copy=False, help="Requests sent for this item (one key each)."
    )
    plm_message_id = fields.Many2one(
        "wisdom.integration.message",
        string="PLM Message",
        readonly=True,
        copy=False,
        groups=GROUP_INTEGRATION_ADMIN,
    )

    # COMPUTE METHODS

    @api.depends("line_state", "material_code")
    def _compute_plm_state(self):
        for line in self:
            if line.material_code:
                state = "coded" if line.plm_state or line.line_state == "needs_code" else False
            elif line.line_state == "needs_code":
                state = line.plm_state if line.plm_state in ("queued", "requested", "failed") else "to_request"
            else:
                state = False
            if state != line.plm_state or not line.plm_state_since:
                line.plm_state_since = fields.Datetime.now() if state else False
            line.plm_state = state

    # BUSINESS METHODS

    def _wisdom_plm_write(self, state, **values):
        self.write({"plm_state": state, "plm_state_since": fields.Datetime.now(), **values})

    def _wisdom_plm_request(self, endpoint):
        """Queue one PLM request per item (a new idempotency key per round: a request PLM forgot is asked
        for again under a new key)."""
        Message = self.env["wisdom.integration.message"].sudo()
        for line in self.sudo():
            round_ = line.plm_round + 1
            key = f"WISDOM-DL{line.id}-{round_}"
            message = Message.wisdom_enqueue(
                "plm",
                "material_request",
                {"line_id": line.id, "reference": key},
                record=line,
                idempotency_key=key,
                endpoint=endpoint,
            )
            line._wisdom_plm_write(
                "queued", plm_round=round_, plm_message_id=message.id, plm_request_id=False, plm_error=False
            )
        if self:
            for demand in self.demand_id:
                items = ", ".join(self.filtered(lambda line, d=demand: line.demand_id == d).mapped("name"))
                demand.sudo().message_post(body=self.env._("Material codes requested from PLM for: %s", items))
        return True

    def _wisdom_plm_request_values(self, reference):
        self.ensure_one()
        demand = self.demand_id
        return plm.MaterialRequest(
            reference=reference,
            name=self.name,
            specification=self.specification or "",
            description=self.technical_requirements or "",
            quantity=self.quantity,
            uom=self.product_id.uom_id.name if self.product_id else "",
            customer=demand.partner_id.commercial_partner_id.display_name or "",
            demand=demand.name,
            requester=demand.product_manager_id.name or "",
        )

    def _wisdom_integration_done(self, message, response):
        """The answer of a request (the request id, at times the code at once) or of a poll (applied by the
        bridge, whoever runs the job)."""
        self.ensure_one()
        line = self.sudo()
        if message.operation == "material_request":
            if line.plm_state != "queued" or line.plm_message_id != message:
                return  # superseded: coded by hand meanwhile or asked again
            line._wisdom_plm_write("requested", plm_request_id=response["request_id"], plm_error=False)
        line._wisdom_plm_apply(response)

    def _wisdom_plm_apply(self, status):
        """Apply PLM's word on this item's request: ``{"request_id", "status", "code", "message"}`` with status
        pending, done, rejected or unknown (PLM answered 404)."""
        self.ensure_one()
        if status["request_id"] != self.plm_request_id:
            return False  # an answer about a request this item no longer waits for
        if status["status"] == "done":
            return self._wisdom_plm_code_arrived(status["code"])
        if status["status"] in ("rejected", "unknown"):
            reason = (
                self.env._("PLM does not know request %s", status["request_id"])
                if status["status"] == "unknown"
                else self.env._(
                    "PLM rejected request %(request)s: %(reason)s",
                    request=status["request_id"],
                    reason=status.get("message") or "-",
                )
            )
            self._wisdom_plm_write("to_request", plm_request_id=False, plm_error=reason)
            self.demand_id.sudo().message_post(
                body=self.env._("%(item)s needs a new material code request: %(reason)s", item=self.name, reason=reason)
            )
        return True

    def _wisdom_plm_code_arrived(self, code):
        """Write the code onto the item and its product; the demand waiting for it moves on by itself."""
        self.ensure_one()
        line = self.sudo()
        previous = line.material_code
        line.write({"material_code": code, "plm_error": False})
        line._wisdom_plm_write("coded")
        if line.product_id and line.product_id.default_code != code:
            line.product_id.default_code = code
        demand = line.demand_id
        body = self.env._("PLM material code %(code)s for %(item)s", code=code, item=line.name)
        if previous and previous != code:
            body += self.env._(" (replaces %s)", previous)
        demand.message_post(body=body)
        waiting = demand.line_ids.filtered(lambda item: item.line_state == "needs_code" and not item.material_code)
        if demand.state == "coding" and not waiting:
            try:
                with self.env.cr.savepoint():
                    demand.action_coding_done()
            except UserError as error:
                _logger.info("Demand %s stays at coding: %s", demand.name, error)
        return True

    @api.model
    def _wisdom_plm_by_request(self, request_id):
        return self.sudo().search([("plm_request_id", "=", request_id)], limit=1)

    @api.model
    def _cron_wisdom_plm_poll(self):
        """Ask PLM about the requests still waiting for their code (one queued message per request and
        round of the cron; a request whose previous poll is still being sent is skipped)."""
        endpoint = self.env["wisdom.integration.endpoint"].sudo().search([("system", "=", "plm")], limit=1)
        if not endpoint:
            return False
        Message = self.env["wisdom.integration.message"].sudo()
        lines = self.sudo().search([("plm_state", "=", "requested")], order="plm_state_since", limit=POLL_BATCH)
        busy = set(
            Message.search(
                [
                    ("system", "=", "plm"),
                    ("operation", "=", "material_status"),
                    ("res_model", "=", self._name),
                    ("res_id", "in", lines.ids),
                    ("state", "in", ("pending", "running", "failed")),
                ]
            ).mapped("res_id")
        )
        for line in lines.filtered(lambda item: item.id not in busy):
            try:
                with self.env.cr.savepoint():
                    Message.wisdom_enqueue(
                        "plm",
                        "material_status",
                        {"line_id": line.id, "request_id": line.plm_request_id},
                        record=line,
                        endpoint=endpoint,
                    )
            except Exception:  # noqa: BLE001 - one item must not stop the others
                _logger.exception("Polling PLM for item %s failed", line.id)
        return True
