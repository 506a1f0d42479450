import dataclasses
import time

import requests

from odoo import api, models

from odoo.addons.wisdom_crm_base.tools import integration

from ..tools import qichacha
from .wisdom_qichacha_cache import DbCache


class WisdomIntegrationMessage(models.Model):
    _inherit = "wisdom.integration.message"

    # EXTENSION POINT

    @api.model
    def _wisdom_integration_handlers(self):
        return {
            **super()._wisdom_integration_handlers(),
            ("qichacha", "fuzzy_search"): self._wisdom_qcc_fuzzy_search,
            ("qichacha", "basic_details"): self._wisdom_qcc_basic_details,
            ("qichacha", "sync_details"): self._wisdom_qcc_basic_details,
            ("qichacha", "test_connection"): self._wisdom_qcc_test_connection,
        }

    # HANDLERS

    def _wisdom_qcc_fuzzy_search(self, message, payload):
        """``{"keyword": name or credit code}`` → ``{"items": [...]}`` (empty when nothing matches)."""
        return {"items": self._wisdom_qcc_call(message, lambda client: client.fuzzy_search(payload["keyword"]), [])}

    def _wisdom_qcc_basic_details(self, message, payload):
        """``{"keyword": name or credit code}`` → ``{"company": {...} or None}``."""
        company = self._wisdom_qcc_call(message, lambda client: client.basic_details(payload["keyword"]), None)
        if company is None:
            return {"company": None}
        values = dataclasses.asdict(company)
        values["establish_date"] = company.establish_date.isoformat() if company.establish_date else False
        return {"company": values}

    def _wisdom_qcc_test_connection(self, message, payload):
        """Checks key, secret and IP whitelist with one search (billed unless answered from the cache)."""
        items = self._wisdom_qcc_call(message, lambda client: client.fuzzy_search("企查查科技"), [])
        return {"ok": True, "items": len(items)}

    # CLIENT

    @api.model
    def _wisdom_qcc_client(self, endpoint):
        endpoint = endpoint.sudo()
        if not endpoint.api_key or not endpoint.api_secret:
            raise integration.BusinessError(
                self.env._(
                    "The Qichacha AppKey and SecretKey are not set on the endpoint %(name)s.", name=endpoint.name
                )
            )
        return qichacha.QichachaClient(
            endpoint.api_key,
            endpoint.api_secret,
            requests.Session(),
            base_url=endpoint.base_url,
            timeout=endpoint.timeout,
            cache=DbCache(self.env),
            cache_days=self.env["wisdom.qichacha.cache"]._wisdom_cache_days(),
        )

    def _wisdom_qcc_call(self, message, call, not_found):
        """Run ``call(client)``, mapping Qichacha's typed errors to the integration core's."""
        try:
            client = self._wisdom_qcc_client(message.endpoint_id)
        except integration.BusinessError:
            message.from_cache = True  # nothing was sent
            raise
        try:
            result = call(client)
            if client.calls:
                message.http_status = 200
            return result
        except qichacha.NotFound:
            message.http_status = 200
            return not_found
        except qichacha.TransportError as error:
            status = int(error.code) if error.code.isdigit() else 0
            message.http_status = status
            raise integration.TransientError(
                self._wisdom_qcc_error_text(error), http_status=status, code=error.code
            ) from error
        except qichacha.RateLimited as error:
            raise integration.TransientError(
                self._wisdom_qcc_error_text(error), code=error.code, retry_after=max(error.retry_at - time.time(), 0)
            ) from error
        except qichacha.QichachaError as error:
            if client.calls:
                message.http_status = 200
            raise integration.BusinessError(self._wisdom_qcc_error_text(error), code=error.code) from error
        finally:
            message.from_cache = not client.calls

    @api.model
    def _wisdom_qcc_error_text(self, error):
        """A sentence a sales rep understands, with Qichacha's code for the admin."""
        texts = {
            qichacha.TransportError: self.env._(
                "Qichacha did not answer (timeout or server error); it is tried again later."
            ),
            qichacha.QuotaError: self.env._(
                "The Qichacha quota is used up or today's limit is reached: buy more calls or try again tomorrow."
            ),
            qichacha.AuthError: self.env._(
                "Qichacha refused the key or the signature: the integration admin must check the AppKey, SecretKey "
                "and the IP whitelist."
            ),
            qichacha.BadInput: self.env._("Enter at least two characters of the company name or the credit code."),
            qichacha.RateLimited: self.env._("Qichacha asks us to slow down; the query is tried again later."),
            qichacha.RepeatedFailure: self.env._(
                "This query failed repeatedly; Qichacha allows it again after two hours."
            ),
        }
        text = texts.get(type(error), self.env._("Qichacha answered with an error."))
        return f"{text} [{error.code}{': ' + error.message if error.message else ''}]"
