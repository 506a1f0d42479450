import dataclasses
import logging

import requests

from odoo import api, models

from odoo.addons.wisdom_crm_base.tools import integration

from ..tools import provider
from ..tools.provider import IssueOrder, OrderLine, RedConfirmRequest

_logger = logging.getLogger(__name__)

REQUEST_MODEL = "wisdom.invoice.request"


class WisdomIntegrationMessage(models.Model):
    _inherit = "wisdom.integration.message"

    # EXTENSION POINT

    @api.model
    def _wisdom_integration_handlers(self):
        return {
            **super()._wisdom_integration_handlers(),
            ("einvoice", "issue"): self._wisdom_einvoice_issue,
            ("einvoice", "query"): self._wisdom_einvoice_query,
            ("einvoice", "red_form"): self._wisdom_einvoice_red_form,
            ("einvoice", "red_form_query"): self._wisdom_einvoice_red_form_query,
            ("einvoice", "test_connection"): self._wisdom_einvoice_test_connection,
        }

    def _wisdom_attempt(self):
        delay = super()._wisdom_attempt()
        self._wisdom_einvoice_notify_dead()
        return delay

    def _wisdom_job_failed(self, exc_name=None, exc_message=None, exc_info=None):
        result = super()._wisdom_job_failed(exc_name=exc_name, exc_message=exc_message, exc_info=exc_info)
        self._wisdom_einvoice_notify_dead()
        return result

    def _wisdom_einvoice_notify_dead(self):
        for message in self.filtered(lambda m: m.state == "dead" and m.res_model == REQUEST_MODEL and m.res_id):
            request = self.env[REQUEST_MODEL].browse(message.res_id).exists()
            if request:
                request._wisdom_integration_dead(message)

    # HANDLERS

    def _wisdom_einvoice_issue(self, message, payload):
        """Submit the order; a duplicate order number (lost reply) is answered by querying it."""
        order = IssueOrder(**{**payload, "lines": tuple(OrderLine(**line) for line in payload["lines"])})
        client = self._wisdom_einvoice_client(message, payload.get("seller_tax_id"))

        def submit():
            try:
                return client.issue(order)
            except provider.DuplicateOrder:  # whatever the provider's code: a reply was lost before
                return None

        serial = self._wisdom_einvoice_call(message, submit)
        if serial is not None:
            return {"order_no": order.order_no, "serial_no": serial}
        result = self._wisdom_einvoice_call(message, lambda: client.query([order.order_no]))[0]
        if result.status == provider.STATUS_UNKNOWN:
            raise integration.BusinessError(
                self.env._("The tax platform reports order %s as a duplicate but does not find it.", order.order_no),
                code="duplicate",
                response={"rejected": True, "code": "duplicate"},
            )
        return {"order_no": order.order_no, "serial_no": result.serial_no, "duplicate": True}

    def _wisdom_einvoice_query(self, message, payload):
        client = self._wisdom_einvoice_client(message, payload.get("seller_tax_id", ""))
        results = self._wisdom_einvoice_call(message, lambda: client.query(payload["order_nos"]))
        return {"results": [dataclasses.asdict(result) for result in results]}

    def _wisdom_einvoice_red_form(self, message, payload):
        """Raise a 红字发票信息确认单; ``lines`` only for a partial red."""
        form = RedConfirmRequest(**{**payload, "lines": tuple(OrderLine(**line) for line in payload["lines"])})
        client = self._wisdom_einvoice_client(message, payload.get("seller_tax_id", ""))
        return dataclasses.asdict(self._wisdom_einvoice_call(message, lambda: client.red_confirm(form)))

    def _wisdom_einvoice_red_form_query(self, message, payload):
        client = self._wisdom_einvoice_client(message, payload.get("seller_tax_id", ""))
        return dataclasses.asdict(
            self._wisdom_einvoice_call(message, lambda: client.red_confirm_query(payload["bill_id"]))
        )

    def _wisdom_einvoice_test_connection(self, message, payload):
        client = self._wisdom_einvoice_client(message, "")
        self._wisdom_einvoice_call(message, lambda: client.access_token(force=True))
        return {"ok": True}

    # CLIENT

    @api.model
    def _wisdom_einvoice_client(self, message, seller_tax_id):
        endpoint = message.endpoint_id.sudo()
        if not endpoint.api_key or not endpoint.api_secret:
            raise integration.BusinessError(
                self.env._(
                    "The app key and secret of the e-invoice provider are not set on the endpoint %s.", endpoint.name
                ),
                response={"rejected": True, "code": "config"},
            )
        if endpoint.einvoice_provider == "baiwang" and (not endpoint.username or not endpoint.password):
            raise integration.BusinessError(
                self.env._("The Baiwang user name and password are not set on the endpoint %s.", endpoint.name),
                response={"rejected": True, "code": "config"},
            )
        return endpoint._wisdom_einvoice_client(seller_tax_id, session=requests.Session())

    @api.model
    def _wisdom_einvoice_call(self, message, call):
        """Run ``call()``, mapping the provider's errors to the integration core's: a rejection is
        recorded with ``rejected`` in the response, so that the request shows it as failed."""
        try:
            result = call()
            message.http_status = 200
            return result
        except provider.TransportError as error:
            message.http_status = error.http_status or 0
            raise integration.TransientError(
                self._wisdom_einvoice_error_text(error), http_status=error.http_status, code=error.code
            ) from error
        except provider.ProviderError as error:
            message.http_status = error.http_status or 200
            raise integration.BusinessError(
                self._wisdom_einvoice_error_text(error),
                http_status=error.http_status,
                code=error.code,
                response={"rejected": True, "code": error.code, "describe": error.message},
            ) from error

    @api.model
    def _wisdom_einvoice_error_text(self, error):
        texts = {
            provider.TransportError: self.env._(
                "The tax platform did not answer (timeout, busy or server error); it is asked again later."
            ),
            provider.AuthError: self.env._(
                "The tax platform refused the credentials: the integration admin must check the app key and secret."
            ),
            provider.DuplicateOrder: self.env._("This order number was already submitted."),
            provider.AmountMismatch: self.env._(
                "The tax platform refused the amounts (amount + tax ≠ total, or "
                "the tax differs from amount × rate by more than 0.06)."
            ),
            provider.Rejected: self.env._("The tax platform rejected the invoice."),
        }
        text = texts.get(type(error), self.env._("The tax platform answered with an error."))
        return f"{text} [{error.code}{': ' + error.message if error.message else ''}]"
