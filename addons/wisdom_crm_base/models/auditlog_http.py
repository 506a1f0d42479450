from odoo import api, models
from odoo.http import Request, request


def _real_http_request():
    """Whether an actual HTTP request is being served. Odoo's tests push mocks (``MockRequest``)
    whose attributes are ``Mock`` objects: OCA auditlog would send them to SQL ("can't adapt type
    'Mock'") and the change being logged would fail."""
    return isinstance(request, Request)


class AuditlogHTTPRequest(models.Model):
    _inherit = "auditlog.http.request"

    @api.model
    def current_http_request(self):
        """The operation log links an HTTP request only when one is really served."""
        return super().current_http_request() if _real_http_request() else False


class AuditlogHTTPSession(models.Model):
    _inherit = "auditlog.http.session"

    @api.model
    def current_http_session(self):
        """The operation log links an HTTP session only when a request is really served."""
        return super().current_http_session() if _real_http_request() else False
