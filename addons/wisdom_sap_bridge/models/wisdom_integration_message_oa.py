from odoo import api, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.wisdom_crm_base.tools import integration

from ..tools import oa

REVIEW_MODEL = "tier.review"


class WisdomIntegrationMessage(models.Model):
    """OA approvals: ``approval_request`` (outbound, one per tier review, answered with OA's process id),
    ``approval_cancel`` (outbound, withdraws the process of a review restarted or decided in the CRM) and
    ``decision`` (inbound, pushed to ``/wisdom_oa/decision``, applied to the review as its approver)."""

    _inherit = "wisdom.integration.message"

    # EXTENSION POINT

    @api.model
    def _wisdom_integration_handlers(self):
        return {
            **super()._wisdom_integration_handlers(),
            ("oa", "approval_request"): self._wisdom_oa_approval_request,
            ("oa", "approval_cancel"): self._wisdom_oa_approval_cancel,
            ("oa", "decision"): self._wisdom_oa_decision,
        }

    # HANDLERS

    def _wisdom_oa_approval_request(self, message, payload):
        """``{"review_id", "reference"}`` → ``{"process_id", "duplicate", "found_by_reference"}``.

        After a failed attempt (timeout, lost reply, 5xx) OA may have started the process: it is looked up
        by reference first. A 409 (OA already has the reference) carries the existing process. A review
        removed or decided meanwhile is not sent (``skipped``)."""
        review = self.env[REVIEW_MODEL].sudo().browse(payload.get("review_id")).exists()
        record = review._wisdom_oa_record() if review else None
        if not record or review.status not in ("waiting", "pending"):
            return {"process_id": "", "skipped": True}
        endpoint, config = self._wisdom_oa_config(message)
        reference = payload["reference"]
        if message.failed_attempts:
            process_id = self._wisdom_oa_lookup(message, endpoint, config, reference)
            if process_id:
                return {"process_id": process_id, "duplicate": False, "found_by_reference": True}
        body = oa.build_request(record._wisdom_oa_request_values(review, reference), config)
        message.request_payload = integration.to_json({**payload, "oa_request": body}, endpoint._wisdom_secrets())
        answer = self._wisdom_rest_call(
            message, "OA", "POST", oa.url(endpoint.base_url, config, "process_path"), config, body
        )
        if answer.status not in (200, 201, 202, 409):
            raise self._wisdom_oa_refused(answer, config)
        if answer.status != 409:
            self._wisdom_oa_check_success(answer, config)
        process_id = self._wisdom_oa_parse_process(answer, config)
        return {"process_id": process_id, "duplicate": answer.status == 409, "found_by_reference": False}

    def _wisdom_oa_approval_cancel(self, message, payload):
        """``{"reference", "process_id", "reason", "status"}`` → ``{"process_id", "withdrawn"}``: a process
        OA does not know (404) or has finished (409) needs no withdrawal."""
        endpoint, config = self._wisdom_oa_config(message)
        process_id = payload.get("process_id") or self._wisdom_oa_lookup(
            message, endpoint, config, payload["reference"]
        )
        url = oa.url(endpoint.base_url, config, "cancel_path", process_id=process_id or "")
        if not process_id or not url:
            return {"process_id": process_id or "", "withdrawn": False}
        body = oa.build_cancel(payload["reference"], payload.get("reason") or "", config)
        answer = self._wisdom_rest_call(message, "OA", "POST", url, config, body)
        if answer.status in (404, 409):
            return {"process_id": process_id, "withdrawn": False}
        if answer.status not in (200, 201, 202, 204):
            raise self._wisdom_oa_refused(answer, config)
        self._wisdom_oa_check_success(answer, config)
        return {"process_id": process_id, "withdrawn": True}

    def _wisdom_oa_decision(self, message, payload):
        """A decision OA pushed, applied to its review as the approver it names, all or nothing.

        :raise integration.BusinessError: 404 no such review; 409 unknown approver, not a reviewer, the
            review decided otherwise or cancelled
        """
        _endpoint, config = self._wisdom_oa_config(message)
        try:
            decision = oa.parse_decision(payload, config)
        except oa.OaError as error:
            raise integration.BusinessError(str(error), http_status=400, response={"error": "bad_request"}) from error
        review = self.env[REVIEW_MODEL]._wisdom_oa_find(decision)
        record = review._wisdom_oa_record() if review else None
        if not record:
            raise integration.BusinessError(
                self.env._(
                    "No review of the CRM has the OA reference %s (restarted or removed meanwhile?).",
                    decision.reference or decision.process_id,
                ),
                http_status=404,
                response={"error": "unknown_review"},
            )
        message.write({"res_model": record._name, "res_id": record.id})
        if decision.process_id and review.oa_process_id and decision.process_id != review.oa_process_id:
            raise review._wisdom_oa_conflict(
                "process_mismatch",
                self.env._(
                    "OA process %(process)s is not the process of review %(review)s (%(expected)s).",
                    process=decision.process_id,
                    review=review.oa_reference,
                    expected=review.oa_process_id,
                ),
            )
        user = self.env["res.users"]._wisdom_oa_user(decision.approver)
        if not user:
            raise review._wisdom_oa_conflict(
                "unknown_approver",
                self.env._(
                    "OA's approver %s is not a CRM user: enter it as the OA User ID of the user (or use the CRM "
                    "login in OA), then retry this message.",
                    decision.approver,
                ),
            )
        try:
            with self.env.cr.savepoint():
                if decision.process_id and not review.oa_process_id:
                    review.oa_process_id = decision.process_id  # its request's reply was lost
                applied = review._wisdom_oa_apply(decision, user)
        except (AccessError, UserError) as error:
            raise review._wisdom_oa_conflict("refused", error.args[0]) from error
        review.invalidate_recordset()
        return {
            "reference": review.oa_reference,
            "process_id": review.oa_process_id or "",
            "decision": decision.decision,
            "applied": applied,
            "approver": user.login,
            "review_status": review.status,
            "contract": record.display_name,
            "validation_status": record.validation_status,
        }

    # BUSINESS METHODS

    @api.model
    def _wisdom_oa_receive(self, endpoint, data):
        """Record a decision OA pushed and apply it, once per review and decision; a decision refused
        before (dead: unknown approver…) is tried again with the body pushed now.

        :return: ``(message, already_received)``; no message while the same decision is being applied by
            a concurrent request
        :raise tools.oa.OaError: the body is not a decision (nothing is recorded)
        """
        decision = oa.parse_decision(data, endpoint._wisdom_oa_config())
        existing = self._wisdom_find("oa", "decision", decision.key)
        if existing and existing.state == "done":
            return existing, True
        if existing and existing.state in ("failed", "dead"):
            existing.request_payload = integration.to_json(data, endpoint._wisdom_secrets())
            existing._wisdom_attempt()
            return existing, False
        if existing:
            return self.browse(), False
        message = self._wisdom_create("oa", "decision", data, None, decision.key, "inbound", endpoint)
        if message.attempts or message.state != "pending":
            return message, True
        message._wisdom_attempt()
        return message, False

    def _wisdom_oa_decision_answer(self, already_received):
        """OA's answer and HTTP status: 200 applied (or the same decision again), 404 no such review, 409
        conflict (``code`` says which), 202 recorded but not applied for another reason."""
        self.ensure_one()
        response = self.wisdom_response() or {}
        done = self.state == "done"
        status = 200 if done else (self.http_status if self.http_status in (400, 404, 409) else 202)
        return {
            "message_id": self.id,
            "state": self.state,
            "already_received": already_received,
            "result": response if done else None,
            "code": None if done else response.get("error"),
            "error": self.last_error or None,
        }, status

    @api.model
    def _wisdom_oa_config(self, message):
        endpoint = message.endpoint_id.sudo()
        try:
            return endpoint, endpoint._wisdom_oa_config()
        except oa.OaError as error:
            raise integration.BusinessError(str(error)) from error

    @api.model
    def _wisdom_oa_lookup(self, message, endpoint, config, reference):
        """OA's process under ``reference``, or "" (not found, or OA offers no look-up)."""
        url = oa.url(endpoint.base_url, config, "lookup_path", reference=reference)
        if not url:
            return ""
        answer = self._wisdom_rest_call(message, "OA", "GET", url, config)
        if answer.status == 404 or oa.business_error(answer.body, config):
            return ""
        if answer.status != 200:
            raise self._wisdom_oa_refused(answer, config)
        return self._wisdom_oa_parse_process(answer, config)

    @api.model
    def _wisdom_oa_check_success(self, answer, config):
        """An answer whose success field says it failed (OA's business error with HTTP 200)."""
        failed = oa.business_error(answer.body, config)
        if failed:
            code, text = failed
            raise integration.BusinessError(
                self.env._("OA refused the request (%(code)s): %(error)s", code=code or "-", error=text or "-"),
                http_status=answer.status,
                code=code,
                response=answer.body,
            )

    @api.model
    def _wisdom_oa_parse_process(self, answer, config):
        try:
            return oa.parse_process_id(answer.body, config)
        except oa.OaError as error:
            raise integration.BusinessError(
                self.env._("OA's answer cannot be read: %s", str(error)),
                http_status=answer.status,
                response=answer.body,
            ) from error

    @api.model
    def _wisdom_oa_refused(self, answer, config):
        code, text = oa.error_text(answer.body, config)
        return integration.BusinessError(
            self.env._(
                "OA refused the request (HTTP %(status)s, %(code)s): %(error)s",
                status=answer.status,
                code=code or "-",
                error=text or "-",
            ),
            http_status=answer.status,
            code=code,
            response=answer.body,
        )
