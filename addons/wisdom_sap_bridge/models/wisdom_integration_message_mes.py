import hashlib
import json

from odoo import api, models

from odoo.addons.wisdom_crm_base.tools import integration

from ..tools import mes


class WisdomIntegrationMessage(models.Model):
    """MES: ``production_order_create`` (outbound, one per signed contract) and ``progress`` (inbound,
    pushed to ``/wisdom_mes/progress``)."""

    _inherit = "wisdom.integration.message"

    # EXTENSION POINT

    @api.model
    def _wisdom_integration_handlers(self):
        return {
            **super()._wisdom_integration_handlers(),
            ("mes", "production_order_create"): self._wisdom_mes_order_create,
            ("mes", "progress"): self._wisdom_mes_progress,
        }

    # HANDLERS

    def _wisdom_mes_order_create(self, message, payload):
        """``{"order_id", "reference"}`` → ``{"order_id", "duplicate", "order"}`` (``order``: MES's answer).

        A 409 (MES already has an order under this reference) carries the existing order."""
        order = self.env["sale.order"].sudo().browse(payload.get("order_id")).exists()
        if not order:
            raise integration.BusinessError(self.env._("The contract of this message no longer exists."))
        endpoint, config = self._wisdom_mes_config(message)
        body = mes.build_order(order._wisdom_mes_order_values(payload["reference"]), config)
        message.request_payload = integration.to_json({**payload, "mes_request": body}, endpoint._wisdom_secrets())
        url = endpoint.base_url.rstrip("/") + config["order_path"]
        answer = self._wisdom_rest_call(message, "MES", "POST", url, config, body)
        if answer.status not in (200, 201, 202, 409):
            text = answer.body.get(config["fields"]["message"]) if isinstance(answer.body, dict) else ""
            raise integration.BusinessError(
                self.env._(
                    "MES refused the order (HTTP %(status)s): %(error)s", status=answer.status, error=text or "-"
                ),
                http_status=answer.status,
                response=answer.body,
            )
        progress = self._wisdom_mes_parse(answer.body, config)
        return {"order_id": progress.order_id, "duplicate": answer.status == 409, "order": answer.body}

    def _wisdom_mes_progress(self, message, payload):
        """A progress report MES pushed: applied to the contract of that MES order (or reference)."""
        _endpoint, config = self._wisdom_mes_config(message)
        progress = self._wisdom_mes_parse(payload, config)
        Order = self.env["sale.order"].sudo()
        order = Order.search([("mes_order_no", "=", progress.order_id)], limit=1)
        if not order and progress.reference:
            order = Order.search([("contract_no", "=", progress.reference), ("state", "=", "sale")], limit=1)
        if not order:
            raise integration.BusinessError(
                self.env._("No contract has the MES order %s.", progress.order_id), http_status=404
            )
        message.write({"res_model": order._name, "res_id": order.id})
        unknown = order._wisdom_mes_apply(progress)
        return {"contract": order.contract_no, "order_id": progress.order_id, "unknown_lines": unknown}

    # BUSINESS METHODS

    @api.model
    def _wisdom_mes_receive(self, endpoint, data):
        """Record a progress report MES pushed and apply it, once per identical report.

        :return: ``(message, already_received)``
        :raise tools.mes.MesError: the body is not a report (nothing is recorded)
        """
        progress = mes.parse_progress(data, endpoint._wisdom_mes_config())
        digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]
        key = f"{progress.order_id}:{digest}"
        existing = self._wisdom_find("mes", "progress", key)
        if existing:
            return existing, True
        message = self._wisdom_create("mes", "progress", data, None, key, "inbound", endpoint)
        if message.attempts or message.state != "pending":
            return message, True
        message._wisdom_attempt()
        return message, False

    @api.model
    def _wisdom_mes_config(self, message):
        endpoint = message.endpoint_id.sudo()
        try:
            return endpoint, endpoint._wisdom_mes_config()
        except mes.MesError as error:
            raise integration.BusinessError(str(error)) from error

    @api.model
    def _wisdom_mes_parse(self, body, config):
        try:
            return mes.parse_progress(body, config)
        except mes.MesError as error:
            raise integration.BusinessError(
                self.env._("MES's answer cannot be read: %s", str(error)), response=body
            ) from error
