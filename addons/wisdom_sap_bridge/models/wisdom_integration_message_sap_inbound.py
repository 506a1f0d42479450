from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.wisdom_crm_base.tools import integration

from ..tools import sap_inbound

# operation of the inbound message (the document of tools.sap_inbound.parse_document) → (model, its method
# that books the parsed document and returns the record, the record's method that answers SAP)
SAP_INBOUND = {
    "receipt": ("account.payment", "_wisdom_sap_book_receipt", "_wisdom_sap_receipt_answer"),
    "delivery": ("wisdom.shipment.request", "_wisdom_sap_record_delivery", "_wisdom_sap_delivery_answer"),
    "production": (
        "wisdom.sap.production.order",
        "_wisdom_sap_apply_production",
        "_wisdom_sap_production_answer",
    ),
}


class WisdomIntegrationMessage(models.Model):
    """Documents SAP pushes to the CRM (``controllers/sap_inbound.py``) or the poll reads
    (``wisdom_integration_message_poll.py``): each is an inbound message whose idempotency key is SAP's
    document number (a production order's: number and change), booked at once; a failure leaves the
    message failed or dead with its error and nothing booked, for the integration admin to retry."""

    _inherit = "wisdom.integration.message"

    # EXTENSION POINT

    @api.model
    def _wisdom_integration_handlers(self):
        return {
            **super()._wisdom_integration_handlers(),
            **{("sap", operation): self._wisdom_sap_inbound_handle for operation in SAP_INBOUND},
        }

    # BUSINESS METHODS

    @api.model
    def _wisdom_sap_receive(self, endpoint, operation, data):
        """Record a document SAP pushed and book it, once per SAP document (its ``key``).

        :param data: the JSON object of the request
        :return: ``(message, already_received)``; the message is empty when the same document is being
            received by a concurrent request
        :raise tools.sap_inbound.InboundError: the body is not the document (nothing is recorded)
        """
        document = sap_inbound.parse_document(operation, data, endpoint._wisdom_sap_inbound_config()).key
        existing = self._wisdom_find("sap", operation, document)
        if existing:
            return existing, True
        message = self._wisdom_create("sap", operation, data, None, document, "inbound", endpoint)
        if message.attempts or message.state != "pending":
            return message, True  # created meanwhile by a concurrent request that has committed
        if message._wisdom_attempt() is not None:
            message._wisdom_schedule()  # a transient failure: queue_job tries again after the back-off
        return message, False

    def _wisdom_sap_inbound_answer(self, already_received):
        """The answer for SAP: the message's state and the booked document (the same on every push)."""
        self.ensure_one()
        return {
            "document": self.idempotency_key,
            "operation": self.operation,
            "message_id": self.id,
            "state": self.state,
            "already_received": already_received,
            "result": self.wisdom_response(),
            "error": self.last_error or None,
        }

    # HANDLERS

    def _wisdom_sap_inbound_handle(self, message, payload):
        """Parse the stored body again (a retry reads the same) and book it in a savepoint: an error
        leaves nothing half-written."""
        model, book, answer = SAP_INBOUND[message.operation]
        try:
            config = message.endpoint_id.sudo()._wisdom_sap_inbound_config()
            document = sap_inbound.parse_document(message.operation, payload, config)
            with self.env.cr.savepoint():
                record = getattr(self.env[model].sudo(), book)(document)
        except sap_inbound.InboundError as error:
            raise integration.BusinessError(str(error)) from error
        except UserError as error:
            raise integration.BusinessError(error.args[0]) from error
        message.write({"res_model": record._name, "res_id": record.id})
        return getattr(record, answer)()
