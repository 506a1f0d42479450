"""The interface every 数电发票 provider adapter implements, and the values it exchanges.

The ORM builds an ``IssueOrder`` from an invoice request, hands it to an adapter (Nuonuo, Baiwang)
and gets back plain results; adapters raise ``ProviderError`` subclasses, which the integration
core maps to retry (``retryable``) or a visible rejection.
"""

import abc
import time
from dataclasses import dataclass, field

import requests

# query status of an issued document, the providers' codes mapped to ours
STATUS_ISSUING = "issuing"  # Nuonuo 20
STATUS_SIGNING = "signing"  # Nuonuo 21
STATUS_DONE = "done"  # Nuonuo 2
STATUS_FAILED = "failed"  # Nuonuo 22 (issuing failed), 24 (signature failed)
STATUS_VOID = "void"  # Nuonuo 3
STATUS_UNKNOWN = "unknown"  # the provider does not know the order number
FINAL_STATUSES = (STATUS_DONE, STATUS_FAILED, STATUS_VOID)

RED_REASONS = {"1": "销货退回", "2": "开票有误", "3": "服务中止", "4": "销售折让"}


class ProviderError(Exception):
    """A failed call. ``retryable``: the same call may succeed later (timeout, 5xx, busy)."""

    retryable = False

    def __init__(self, code, message="", http_status=None):
        super().__init__(f"{code}: {message}" if message else str(code))
        self.code = str(code)
        self.message = message
        self.http_status = http_status


class TransportError(ProviderError):
    """No usable answer: timeout, connection dropped (the reply may be lost), HTTP 5xx, busy."""

    retryable = True


class AuthError(ProviderError):
    """Credentials refused (app key/secret, token that cannot be renewed, bad signature)."""


class DuplicateOrder(ProviderError):
    """The order number was submitted before (Nuonuo E9106, Baiwang duplicate serial): query it
    instead of resubmitting."""


class AmountMismatch(ProviderError):
    """Amounts refused (Nuonuo E9130/E9131): excl + tax ≠ incl or |excl × rate − tax| > 0.06."""


class Rejected(ProviderError):
    """Any other business rejection (bad field E4000…)."""


@dataclass(frozen=True)
class OrderLine:
    goods_name: str
    goods_code: str
    spec: str
    unit: str
    quantity: str  # decimals as text: exact, and what the providers expect in JSON
    price: str
    price_includes_tax: bool
    tax_rate: str
    tax: str
    amount_excl: str
    amount_incl: str


@dataclass(frozen=True)
class IssueOrder:
    order_no: str
    invoice_date: str  # "YYYY-MM-DD HH:MM:SS"
    invoice_kind: str  # "special" 数电专票 / "normal" 数电普票
    buyer_name: str
    buyer_tax_id: str
    seller_tax_id: str
    clerk: str
    remark: str = ""
    callback_url: str = ""
    lines: tuple = ()
    red: bool = False  # red invoice (invoiceType 2)
    blue_invoice_number: str = ""
    red_confirm_uuid: str = ""
    red_confirm_no: str = ""  # number of the 红字发票信息确认单 (Baiwang ``redInfoNo``)
    red_reason: str = ""  # "1".."4", see RED_REASONS (Baiwang ``redIssueReason``)


@dataclass(frozen=True)
class InvoiceResult:
    order_no: str
    serial_no: str
    status: str
    provider_status: str
    message: str = ""
    invoice_number: str = ""  # the 20-digit 数电 number
    issued_at: str = ""  # "YYYY-MM-DD HH:MM:SS", China time
    pdf_url: str = ""
    ofd_url: str = ""
    xml_url: str = ""


@dataclass(frozen=True)
class RedConfirmRequest:
    bill_id: str  # our number of the form
    blue_invoice_number: str
    blue_invoice_kind: str
    reason: str  # "1".."4", see RED_REASONS
    seller_tax_id: str
    buyer_tax_id: str
    lines: tuple = ()  # OrderLine with negative figures, partial red only


@dataclass(frozen=True)
class RedConfirmResult:
    bill_id: str
    bill_no: str
    status: str  # "pending", "confirmed", "void", "failed"
    provider_status: str
    message: str = ""
    extra: dict = field(default_factory=dict)


class Provider(abc.ABC):
    """One 数电发票 provider."""

    @abc.abstractmethod
    def issue(self, order):
        """Submit ``order`` (``IssueOrder``); return the provider's serial number. Raise
        ``DuplicateOrder`` when its order number was submitted before."""

    @abc.abstractmethod
    def query(self, order_nos):
        """Results (``InvoiceResult``) of up to 50 order numbers, unknown ones with ``STATUS_UNKNOWN``."""

    @abc.abstractmethod
    def red_confirm(self, form):
        """Raise a 红字发票信息确认单 (``RedConfirmRequest``); return its ``RedConfirmResult``."""

    @abc.abstractmethod
    def red_confirm_query(self, bill_id):
        """The ``RedConfirmResult`` of a form raised before."""

    @abc.abstractmethod
    def red_issue(self, order):
        """Issue the red invoice of a confirmed form (``IssueOrder`` with ``red=True``); return the
        serial number, queried like a blue one."""


TOKEN_MARGIN = 600  # renew a token this many seconds before it expires


class MemoryTokenStore:
    """Token kept in memory (scripts and unit tests); the addon stores it on the endpoint."""

    def __init__(self):
        self.token, self.expires_at, self.fetched = "", 0.0, 0

    def get(self):
        return self.token, self.expires_at

    def set(self, token, expires_at):
        self.token, self.expires_at = token, expires_at
        self.fetched += 1


class HttpProvider(Provider):
    """A provider reached over HTTPS with ``requests``: one session, a timeout, an access token
    cached in ``token_store`` (shared by the workers) and renewed ``TOKEN_MARGIN`` seconds early,
    and the mapping of HTTP failures onto the interface's errors. ``_fetch_token`` is the provider's."""

    def __init__(
        self, app_key, app_secret, seller_tax_id, base_url, session=None, timeout=15, token_store=None, clock=time.time
    ):
        self.app_key, self.app_secret, self.seller_tax_id = app_key, app_secret, seller_tax_id
        self.session = session or requests.Session()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.token_store = token_store or MemoryTokenStore()
        self.clock = clock
        self.calls = 0

    # the provider's error codes: a duplicate order number, an amount the platform computes
    # otherwise, "busy, try again" and a refused token
    duplicate_codes = amount_codes = transient_codes = token_error_codes = ()

    def _error(self, code, message):
        """The interface's error for a provider's error code."""
        if code in self.duplicate_codes or self._is_duplicate_message(message):
            return DuplicateOrder(code, message)
        if code in self.amount_codes:
            return AmountMismatch(code, message)
        if code in self.transient_codes:
            return TransportError(code, message)
        if code in self.token_error_codes:
            return AuthError(code, message)
        return Rejected(code, message)

    def _is_duplicate_message(self, message):
        return False

    def access_token(self, force=False):
        token, expires_at = self.token_store.get()
        if token and not force and expires_at - TOKEN_MARGIN > self.clock():
            return token
        token, lifetime = self._fetch_token()
        self.token_store.set(token, self.clock() + lifetime)
        return token

    @abc.abstractmethod
    def _fetch_token(self):
        """A new access token: ``(token, lifetime in seconds)``; ``AuthError`` when refused."""

    def _post(self, url, **kwargs):
        """POST and the JSON object answered. Timeouts, connection errors, 5xx, 408, 429 and answers
        that are not JSON raise ``TransportError`` (retried), 401/403 ``AuthError``, any other 4xx or
        an answer that is not an object ``Rejected``."""
        self.calls += 1
        try:
            response = self.session.post(url, timeout=self.timeout, **kwargs)
        except requests.exceptions.Timeout as error:
            raise TransportError("timeout", str(error)) from error
        except requests.exceptions.RequestException as error:
            raise TransportError("connection", str(error)) from error
        status = response.status_code
        if status >= 500 or status in (408, 429):
            raise TransportError(f"HTTP {status}", response.text[:200], http_status=status)
        if status in (401, 403):
            raise AuthError(f"HTTP {status}", response.text[:200], http_status=status)
        try:
            answer = response.json()
        except ValueError as error:
            raise TransportError("bad answer", response.text[:200], http_status=status) from error
        if status >= 400 or not isinstance(answer, dict):
            raise Rejected(f"HTTP {status}", str(answer)[:200], http_status=status)
        return answer
