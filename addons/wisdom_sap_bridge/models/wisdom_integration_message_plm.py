from odoo import api, models

from odoo.addons.wisdom_crm_base.tools import integration

from ..tools import plm

LINE_MODEL = "wisdom.contract.demand.line"


class WisdomIntegrationMessage(models.Model):
    """PLM material codes: ``material_request`` (outbound, one per demand item and round, answered with
    PLM's request id), ``material_status`` (outbound poll of a request) and ``material_callback``
    (inbound, pushed to ``/wisdom_plm/callback``)."""

    _inherit = "wisdom.integration.message"

    # EXTENSION POINT

    @api.model
    def _wisdom_integration_handlers(self):
        return {
            **super()._wisdom_integration_handlers(),
            ("plm", "material_request"): self._wisdom_plm_material_request,
            ("plm", "material_status"): self._wisdom_plm_material_status,
            ("plm", "material_callback"): self._wisdom_plm_material_callback,
        }

    # CRUD METHODS

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") in ("dead", "pending"):
            self._wisdom_plm_request_state(vals["state"])
        return result

    # HANDLERS

    def _wisdom_plm_material_request(self, message, payload):
        """``{"line_id", "reference"}`` → ``{"request_id", "status", "code", "message", "duplicate"}``.

        A 409 (PLM already has a request under this reference) carries the existing request's id."""
        line = self.env[LINE_MODEL].sudo().browse(payload.get("line_id")).exists()
        if not line:
            raise integration.BusinessError(self.env._("The demand item of this message no longer exists."))
        endpoint, config = self._wisdom_plm_config(message)
        body = plm.build_request(line._wisdom_plm_request_values(payload["reference"]), config)
        message.request_payload = integration.to_json({**payload, "plm_request": body}, endpoint._wisdom_secrets())
        url = plm.url(endpoint.base_url, config, "request_path")
        answer = self._wisdom_rest_call(message, "PLM", "POST", url, config, body)
        if answer.status not in (200, 201, 202, 409):
            raise self._wisdom_plm_refused(answer, config)
        status = self._wisdom_plm_parse(answer, config)
        return {**self._wisdom_plm_status_dict(status), "duplicate": answer.status == 409}

    def _wisdom_plm_material_status(self, message, payload):
        """``{"line_id", "request_id"}`` → the request's status; ``unknown`` when PLM answers 404."""
        endpoint, config = self._wisdom_plm_config(message)
        request_id = payload["request_id"]
        url = plm.url(endpoint.base_url, config, "status_path", request_id=request_id)
        answer = self._wisdom_rest_call(message, "PLM", "GET", url, config)
        if answer.status == 404:
            return {"request_id": request_id, "status": "unknown", "code": "", "message": ""}
        if answer.status != 200:
            raise self._wisdom_plm_refused(answer, config)
        return self._wisdom_plm_status_dict(self._wisdom_plm_parse(answer, config))

    def _wisdom_plm_material_callback(self, message, payload):
        """A status PLM pushed: applied to the item that waits for this request id."""
        _endpoint, config = self._wisdom_plm_config(message)
        try:
            status = plm.parse_status(payload, config)
        except plm.PlmError as error:
            raise integration.BusinessError(str(error)) from error
        line = self.env[LINE_MODEL]._wisdom_plm_by_request(status.request_id)
        if not line:
            raise integration.BusinessError(
                self.env._("No demand item waits for PLM request %s.", status.request_id), http_status=404
            )
        message.write({"res_model": line._name, "res_id": line.id})
        line._wisdom_plm_apply(self._wisdom_plm_status_dict(status))
        return {**self._wisdom_plm_status_dict(status), "item": line.name, "demand": line.demand_id.name}

    # BUSINESS METHODS

    @api.model
    def _wisdom_plm_receive(self, endpoint, data):
        """Record a status PLM pushed and apply it, once per request id, status and code.

        :return: ``(message, already_received)``
        :raise tools.plm.PlmError: the body is not a status (nothing is recorded)
        """
        status = plm.parse_status(data, endpoint._wisdom_plm_config())
        key = f"{status.request_id}:{status.status}:{status.code}"
        existing = self._wisdom_find("plm", "material_callback", key)
        if existing:
            return existing, True
        message = self._wisdom_create("plm", "material_callback", data, None, key, "inbound", endpoint)
        if message.attempts or message.state != "pending":
            return message, True
        message._wisdom_attempt()
        return message, False

    def _wisdom_plm_request_state(self, state):
        """A request message that died leaves its item "failed" (the reason on the item); retried by the
        integration admin, the item waits again."""
        requests = self.filtered(lambda m: m.system == "plm" and m.operation == "material_request")
        if not requests:
            return
        lines = self.env[LINE_MODEL].sudo().search([("plm_message_id", "in", requests.ids)])
        for line in lines:
            if state == "dead" and line.plm_state == "queued":
                line._wisdom_plm_write("failed", plm_error=line.plm_message_id.last_error)
            elif state == "pending" and line.plm_state == "failed":
                line._wisdom_plm_write("queued", plm_error=False)

    @api.model
    def _wisdom_plm_config(self, message):
        endpoint = message.endpoint_id.sudo()
        try:
            return endpoint, endpoint._wisdom_plm_config()
        except plm.PlmError as error:
            raise integration.BusinessError(str(error)) from error

    @api.model
    def _wisdom_plm_parse(self, answer, config):
        try:
            return plm.parse_status(answer.body, config)
        except plm.PlmError as error:
            raise integration.BusinessError(
                self.env._("PLM's answer cannot be read: %s", str(error)),
                http_status=answer.status,
                response=answer.body,
            ) from error

    @api.model
    def _wisdom_plm_refused(self, answer, config):
        text = ""
        if isinstance(answer.body, dict):
            text = str(answer.body.get(config["fields"]["message"]) or answer.body.get("error") or "")
        return integration.BusinessError(
            self.env._("PLM refused the request (HTTP %(status)s): %(error)s", status=answer.status, error=text or "-"),
            http_status=answer.status,
            response=answer.body,
        )

    @api.model
    def _wisdom_plm_status_dict(self, status):
        return {
            "request_id": status.request_id,
            "status": status.status,
            "code": status.code,
            "message": status.message,
        }
