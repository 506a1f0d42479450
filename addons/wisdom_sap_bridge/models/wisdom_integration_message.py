from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.wisdom_crm_base.tools import integration

from ..tools import rest_json, sap, wecom


class WisdomIntegrationMessage(models.Model):
    _inherit = "wisdom.integration.message"

    wecom_userid = fields.Char(string="WeCom Recipient", readonly=True, index="btree_not_null")
    wecom_send_at = fields.Datetime(
        string="WeCom Slot",
        readonly=True,
        help="When the message may go without exceeding WeCom's 30 messages per member and minute.",
    )

    # EXTENSION POINT

    @api.model
    def _wisdom_integration_handlers(self):
        return {
            **super()._wisdom_integration_handlers(),
            ("sap", "sales_order_create"): self._wisdom_sap_sales_order_create,
            ("sap", "customer_maintain"): self._wisdom_sap_customer_maintain,
            ("sap", "delivery_create"): self._wisdom_sap_delivery_create,
            ("sap", "test_connection"): self._wisdom_sap_test_connection,
            ("wecom", "send"): self._wisdom_wecom_send,
            ("wecom", "test_connection"): self._wisdom_wecom_test_connection,
        }

    # CRUD METHODS

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        for message in messages.filtered(lambda m: m.system == "wecom" and m.operation == "send"):
            message._wisdom_wecom_plan()
        return messages

    def write(self, vals):
        dying = self.filtered(lambda m: m.state != "dead") if vals.get("state") == "dead" else self.browse()
        result = super().write(vals)
        if dying:
            dying._wisdom_alert_dead()
        return result

    # SAP HANDLERS

    def _wisdom_sap_sales_order_create(self, message, payload):
        """``{"order_id", "reference"}`` → ``{"sales_document", "reference", "found_by_reference"}``.

        After a failed call (timeout, lost reply, 5xx, SOAP Fault) SAP may have created the order:
        it is looked up by the contract number in PURCH_NO_C first and created only when absent."""
        order = self.env["sale.order"].sudo().browse(payload.get("order_id")).exists()
        if not order:
            raise integration.BusinessError(self.env._("The contract of this message no longer exists."))
        reference = payload["reference"]
        if message.failed_attempts:
            number = self._wisdom_sap_find_order(message, order, reference)
            if number:
                return {"sales_document": number, "reference": reference, "found_by_reference": True}
        function = self._wisdom_sap_function("sales_order_create", order.company_id)
        self._wisdom_sap_check_customer(order)
        try:
            values = order._wisdom_sap_order_values()
        except UserError as error:
            raise integration.BusinessError(error.args[0]) from error
        request = sap.build_order_request(values, function._wisdom_mapping())
        # What went to SAP, next to the message's own keys (read again by the next attempt).
        message.request_payload = integration.to_json(
            {**payload, "sap_function": function.function_name, "sap_request": request},
            message.endpoint_id._wisdom_secrets(),
        )
        reply = self._wisdom_sap_call(message, function, request)
        number = self._wisdom_sap_check(message, reply, "document", function)
        return {
            "sales_document": number,
            "reference": reference,
            "found_by_reference": False,
            "messages": [str(m) for m in sap.return_messages(reply, function._wisdom_mapping())],
        }

    def _wisdom_sap_check_customer(self, order):
        """With a customer function configured, the order waits until SAP created its customer; it is refused
        only when SAP refused the customer (a customer message dead while SAP was down is sent again by the
        resume cron, and the order keeps waiting for it)."""
        partner = order.partner_id.commercial_partner_id
        if partner.sap_customer_no or not self.env["wisdom.sap.function"]._wisdom_for(
            "customer_maintain", order.company_id
        ):
            return True
        refused = partner._wisdom_sap_queue_customers().filtered(
            lambda m: m.state == "dead" and not m.retries_exhausted
        )
        if refused:
            raise integration.BusinessError(
                self.env._(
                    "SAP refused the customer %(customer)s: %(error)s",
                    customer=partner.display_name,
                    error=refused[:1].last_error,
                )
            )
        raise integration.TransientError(
            self.env._("Waiting for SAP to create the customer %s; the order is sent afterwards.", partner.display_name)
        )

    def _wisdom_sap_customer_maintain(self, message, payload):
        """``{"partner_id"}`` → ``{"customer"}``: the customer created or updated in SAP."""
        partner = self.env["res.partner"].sudo().browse(payload.get("partner_id")).exists()
        if not partner:
            raise integration.BusinessError(self.env._("The customer of this message no longer exists."))
        function = self._wisdom_sap_function("customer_maintain", partner.company_id or self.env.company)
        mapping = function._wisdom_mapping()
        request = sap.build_customer_request(partner._wisdom_sap_customer_values(), mapping)
        message.request_payload = integration.to_json(
            {**payload, "sap_function": function.function_name, "sap_request": request},
            message.endpoint_id._wisdom_secrets(),
        )
        reply = self._wisdom_sap_call(message, function, request)
        return {
            "customer": self._wisdom_sap_check(message, reply, "customer", function),
            "messages": [str(m) for m in sap.return_messages(reply, mapping)],
        }

    def _wisdom_sap_delivery_create(self, message, payload):
        """``{"request_id", "reference"}`` → ``{"delivery", "found_by_reference"}``: the outbound delivery of
        a shipment request, against the contract's SAP order (waits for that order)."""
        request = self.env["wisdom.shipment.request"].sudo().browse(payload.get("request_id")).exists()
        if not request:
            raise integration.BusinessError(self.env._("The shipment request of this message no longer exists."))
        order = request.order_id
        if not order.sap_order_no:
            # refused by SAP, not dead while SAP was down (that one is sent again by the resume cron)
            if order.sap_state == "error" and not order.sap_message_id.retries_exhausted:
                raise integration.BusinessError(
                    self.env._(
                        "SAP refused the order of contract %(contract)s: %(error)s",
                        contract=order.contract_no,
                        error=order.sap_error,
                    )
                )
            raise integration.TransientError(
                self.env._(
                    "Waiting for the SAP order of contract %s; the delivery is sent afterwards.", order.contract_no
                )
            )
        reference = payload["reference"]
        if message.failed_attempts:
            find = self._wisdom_sap_function("delivery_find", order.company_id)
            mapping = find._wisdom_mapping()
            found = self._wisdom_sap_call(message, find, sap.build_delivery_find_request(reference, mapping))
            number = str(found.get(mapping.name("delivery")) or "").strip()
            if number:
                return {"delivery": number, "reference": reference, "found_by_reference": True}
        function = self._wisdom_sap_function("delivery_create", order.company_id)
        mapping = function._wisdom_mapping()
        values = request._wisdom_sap_delivery_values()
        if not values.lines:
            raise integration.BusinessError(
                self.env._("The shipment request %s has no quantity to deliver.", request.name)
            )
        sap_request = sap.build_delivery_request(values, mapping)
        message.request_payload = integration.to_json(
            {**payload, "sap_function": function.function_name, "sap_request": sap_request},
            message.endpoint_id._wisdom_secrets(),
        )
        reply = self._wisdom_sap_call(message, function, sap_request)
        return {
            "delivery": self._wisdom_sap_check(message, reply, "delivery", function),
            "reference": reference,
            "found_by_reference": False,
            "messages": [str(m) for m in sap.return_messages(reply, mapping)],
        }

    def _wisdom_sap_find_order(self, message, order, reference):
        """SAP's order number for ``reference`` (PURCH_NO_C), or "" when SAP has none."""
        function = self._wisdom_sap_function("sales_order_find", order.company_id)
        mapping = function._wisdom_mapping()
        reply = self._wisdom_sap_call(message, function, sap.build_find_request(reference, mapping))
        return str(reply.get(mapping.name("document")) or "").strip()

    def _wisdom_sap_test_connection(self, message, payload):
        """Looks up a reference that does not exist: checks URL, WSDL, user and password."""
        function = self._wisdom_sap_function("sales_order_find", self.env.company)
        reply = self._wisdom_sap_call(message, function, sap.build_find_request("WISDOM-TEST"))
        return {"ok": True, "messages": [str(m) for m in sap.return_messages(reply)]}

    @api.model
    def _wisdom_sap_function(self, operation, company):
        function = self.env["wisdom.sap.function"]._wisdom_for(operation, company)
        if not function:
            labels = dict(self.env["wisdom.sap.function"]._fields["operation"]._description_selection(self.env))
            raise integration.BusinessError(
                self.env._(
                    "No SAP function is configured for %(operation)s: the integration admin sets it up under "
                    "Integrations > SAP Functions.",
                    operation=labels[operation],
                )
            )
        return function

    def _wisdom_sap_call(self, message, function, request):
        """Call ``function`` with ``request``, mapping the client's errors to the integration core's."""
        with function._wisdom_wsdl_dir() as wsdl_dir:
            try:
                client = function._wisdom_client(message.endpoint_id, wsdl_dir)
                reply = client.call(function.function_name, **request)
            except sap.SapError as error:
                message.http_status = error.http_status or 0
                raise self._wisdom_sap_error(error) from error
            except (OSError, ValueError) as error:  # unreadable WSDL upload
                raise integration.BusinessError(
                    self.env._("The WSDL of %(name)s cannot be read: %(error)s", name=function.name, error=error)
                ) from error
        message.http_status = 200
        return reply

    def _wisdom_sap_check(self, message, reply, document_key, function):
        try:
            return sap.check_reply(reply, document_key, function._wisdom_mapping())
        except sap.SapBusinessError as error:
            raise integration.BusinessError(
                self.env._("SAP refused the request: %(messages)s", messages=error.message),
                http_status=200,
                code="BAPIRET2",
                response=reply,
            ) from error

    @api.model
    def _wisdom_sap_error(self, error):
        if isinstance(error, sap.SapUnavailable):
            return integration.TransientError(
                self.env._("SAP did not answer or failed (%(error)s); it is tried again later.", error=error.message),
                http_status=error.http_status,
            )
        if isinstance(error, sap.SapAuthError):
            return integration.BusinessError(
                self.env._(
                    "SAP refused the user or password (%(error)s): the integration admin must check the "
                    "SAP endpoint's credentials.",
                    error=error.message,
                ),
                http_status=error.http_status,
            )
        return integration.BusinessError(
            self.env._("The SAP configuration does not fit the service: %(error)s", error=error.message),
            http_status=error.http_status,
        )

    # WECOM HANDLERS

    def _wisdom_wecom_send(self, message, payload):
        """``{"touser", "msgtype", ...}`` (a WeCom application message without agentid) → WeCom's reply."""
        endpoint = message.endpoint_id.sudo()
        client = self._wisdom_wecom_client(endpoint)
        try:
            return self.env["wisdom.wecom.token"]._wisdom_send(
                endpoint, client, {**payload, "agentid": int(endpoint.wecom_agent_id or 0)}
            )
        except wecom.WeComError as error:
            message.http_status = error.http_status or 0
            raise self._wisdom_wecom_error(error) from error

    def _wisdom_wecom_test_connection(self, message, payload):
        """Fetches a token (CorpID, secret and IP whitelist)."""
        endpoint = message.endpoint_id.sudo()
        try:
            self.env["wisdom.wecom.token"]._wisdom_token(endpoint, self._wisdom_wecom_client(endpoint))
        except wecom.WeComError as error:
            raise self._wisdom_wecom_error(error) from error
        return {"ok": True}

    @api.model
    def _wisdom_wecom_client(self, endpoint):
        if not endpoint.api_key or not endpoint.api_secret or not endpoint.wecom_agent_id:
            raise integration.BusinessError(
                self.env._(
                    "The WeCom CorpID (Key), application secret (Secret) and AgentId are not all set on the endpoint "
                    "%(name)s.",
                    name=endpoint.name,
                )
            )
        return wecom.WeComClient(endpoint.base_url, endpoint.api_key, endpoint.api_secret, timeout=endpoint.timeout)

    @api.model
    def _wisdom_wecom_error(self, error):
        if error.retryable:
            return integration.TransientError(
                self.env._(
                    "WeCom is busy or did not answer (%(error)s); it is tried again later.", error=error.message
                ),
                http_status=error.http_status,
                code=error.code,
            )
        return integration.BusinessError(
            self.env._("WeCom refused the message (%(error)s).", error=error.message),
            http_status=error.http_status,
            code=error.code,
        )

    # WECOM RATE LIMIT

    def _wisdom_wecom_plan(self):
        """Give the message the first slot within WeCom's per-member limit (one recipient per message)."""
        self.ensure_one()
        userid = self.wisdom_payload().get("touser") or ""
        now = fields.Datetime.now()
        # Two transactions planning messages for the same member must not take the same slot.
        self.env.execute_query(SQL("SELECT pg_advisory_xact_lock(hashtext(%s))", f"wisdom_wecom:{userid}"))
        planned = self.search(
            [
                ("system", "=", "wecom"),
                ("wecom_userid", "=", userid),
                ("id", "!=", self.id),
                ("wecom_send_at", ">", now - wecom.MEMBER_WINDOW),
            ]
        ).mapped("wecom_send_at")
        self.write({"wecom_userid": userid, "wecom_send_at": wecom.next_slot(planned, now)})

    def _wisdom_job_eta(self):
        eta = super()._wisdom_job_eta()
        if self.system == "wecom" and self.wecom_send_at and self.wecom_send_at > fields.Datetime.now():
            return self.wecom_send_at
        return eta

    # ALERTS

    def _wisdom_alert_dead(self):
        """Tell the integration admins on WeCom that messages are dead and wait for them (not for WeCom's
        own messages: WeCom may be the system that is down)."""
        dead = self.filtered(lambda m: m.system != "wecom")
        if not dead:
            return self.env["wisdom.integration.message"]
        admins = self.env.ref("wisdom_crm_base.group_wisdom_integration_admin").sudo().all_user_ids
        title = self.env._("Integration messages are dead")
        body = "\n".join(f"{m.display_name}: {m.last_error or ''}" for m in dead)
        return admins._wisdom_wecom_notify(title, body, dead[:1])

    # REST JSON SYSTEMS (PLM, MES, OA)

    @api.model
    def _wisdom_rest_call(self, message, label, method, url, config, body=None):
        """One JSON call of ``message`` to its endpoint, the HTTP status kept on the message.

        :param label: the system's name in messages (PLM, MES, OA)
        :raise integration.TransientError: no answer, a timeout or a 5xx (tried again later)
        :raise integration.BusinessError: the credential refused
        """
        endpoint = message.endpoint_id.sudo()
        try:
            answer = rest_json.call(
                method, url, headers=rest_json.headers(config, endpoint.api_key), body=body, timeout=endpoint.timeout
            )
        except rest_json.RestError as error:
            message.http_status = error.http_status or 0
            raise self._wisdom_rest_error(label, error) from error
        message.http_status = answer.status
        return answer

    @api.model
    def _wisdom_rest_error(self, label, error):
        """The integration error of a failed REST call (``rest_json.RestError``)."""
        if error.retryable:
            return integration.TransientError(
                self.env._(
                    "%(system)s did not answer or failed (%(error)s); it is tried again later.",
                    system=label,
                    error=error.message,
                ),
                http_status=error.http_status,
            )
        return integration.BusinessError(
            self.env._(
                "%(system)s refused the credential (%(error)s): the integration admin must check the endpoint's Key.",
                system=label,
                error=error.message,
            ),
            http_status=error.http_status,
        )
