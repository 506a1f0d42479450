"""Client of the Qichacha open API (企查查开放平台).

Every call is a GET with ``key=<AppKey>`` and the headers ``Token`` (upper-case MD5 of AppKey +
Timespan + SecretKey) and ``Timespan`` (Unix seconds). The envelope's ``Status`` is a string and
HTTP is 200 even on errors; each status maps to a typed error below. Every call is billed, so
results are cached, a query that failed with 110 is not repeated for two hours, and after 120/122
no call is made until the back-off has passed. The caller provides the HTTP session (``requests``
compatible), the clock and the cache, so the client is testable without network or database.
"""

import hashlib
import time
from dataclasses import dataclass
from datetime import date, datetime

import requests

DEFAULT_BASE_URL = "https://api.qichacha.com"
DEFAULT_TIMEOUT = 10
LOCKOUT_110_SECONDS = 2 * 3600
BACKOFF_SECONDS = {"120": 300, "122": 10}
RISK_STATUSES = ("吊销", "注销", "停业", "撤销", "清算")


class QichachaError(Exception):
    """A Qichacha answer or failure; ``retryable`` tells the integration core to try again later."""

    retryable = False

    def __init__(self, code, message=""):
        super().__init__(f"{code}: {message}" if message else str(code))
        self.code = str(code)
        self.message = message


class TransportError(QichachaError):
    """Timeout, connection failure or HTTP 5xx: the service may answer later."""

    retryable = True


class QuotaError(QichachaError):
    """102 arrears, 109/116 daily limit, 112 quota used up: buy more or wait for tomorrow."""


class AuthError(QichachaError):
    """101 invalid key, 103 suspended key, 107 IP banned or bad signature, 115 authentication failed."""


class NotFound(QichachaError):
    """201: no company matches."""


class BadInput(QichachaError):
    """202 bad parameter, 213 keyword shorter than two characters."""


class RateLimited(QichachaError):
    """120 abnormal traffic, 122 concurrency limit: no call before ``retry_at``."""

    retryable = True

    def __init__(self, code, message="", retry_at=0.0):
        super().__init__(code, message)
        self.retry_at = retry_at


class RepeatedFailure(QichachaError):
    """110: the same query failed repeatedly; it may not be sent again for two hours."""

    def __init__(self, code, message="", retry_at=0.0):
        super().__init__(code, message)
        self.retry_at = retry_at


ERRORS = {
    "101": AuthError, "103": AuthError, "107": AuthError, "115": AuthError,
    "102": QuotaError, "109": QuotaError, "112": QuotaError, "116": QuotaError,
    "201": NotFound,
    "202": BadInput, "213": BadInput,
    "120": RateLimited, "122": RateLimited,
    "110": RepeatedFailure,
}  # fmt: skip


def sign(app_key, secret_key, timespan):
    """The ``Token`` header: upper-case hex MD5 of AppKey + Timespan + SecretKey."""
    return hashlib.md5(f"{app_key}{timespan}{secret_key}".encode()).hexdigest().upper()  # noqa: S324 (API's choice)


def parse_date(value):
    """Qichacha dates come as '2012-07-10T00:00:00', '2014-10-24 00:00:00', '2012-07-10' or empty."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip().replace("T", " ").split(" ")[0].replace("/", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def is_risk_status(status):
    return any(word in (status or "") for word in RISK_STATUSES)


@dataclass
class Company:
    key_no: str
    name: str
    credit_code: str = ""
    legal_representative: str = ""
    registered_capital: str = ""
    establish_date: date | None = None
    status: str = ""
    address: str = ""
    business_scope: str = ""
    registration_authority: str = ""
    province: str = ""

    @classmethod
    def from_result(cls, result):
        return cls(
            key_no=result.get("KeyNo") or "",
            name=result.get("Name") or "",
            credit_code=(result.get("CreditCode") or "").upper(),
            legal_representative=result.get("OperName") or "",
            registered_capital=result.get("RegistCapi") or "",
            establish_date=parse_date(result.get("StartDate")),
            status=result.get("Status") or "",
            address=result.get("Address") or "",
            business_scope=result.get("Scope") or "",
            registration_authority=result.get("BelongOrg") or "",
            province=result.get("Province") or "",
        )


class MemoryCache:
    """Cache with expiry, for tests and scripts; the Odoo addon stores it in the database."""

    def __init__(self, clock=time.time):
        self.clock = clock
        self.entries = {}

    def get(self, key):
        value, expires = self.entries.get(key, (None, 0))
        return value if expires > self.clock() else None

    def set(self, key, value, seconds):
        self.entries[key] = (value, self.clock() + seconds)


class QichachaClient:
    def __init__(
        self,
        app_key,
        secret_key,
        session,
        base_url=DEFAULT_BASE_URL,
        timeout=DEFAULT_TIMEOUT,
        cache=None,
        cache_days=30,
        clock=time.time,
    ):
        if not app_key or not secret_key:
            raise AuthError("101", "AppKey and SecretKey are required")
        self.app_key = app_key
        self.secret_key = secret_key
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout or DEFAULT_TIMEOUT
        self.cache = cache if cache is not None else MemoryCache(clock)
        self.cache_seconds = cache_days * 86400
        self.clock = clock
        self.calls = 0

    # PUBLIC

    def fuzzy_search(self, keyword, page_index=1, page_size=20):
        """Companies matching ``keyword`` (name or credit code): list of dicts with KeyNo, Name,
        CreditCode, OperName, Status, StartDate, No, Address."""
        params = {"searchKey": keyword, "pageIndex": page_index, "pageSize": min(int(page_size), 20)}
        return self._get("/FuzzySearch/GetList", params) or []

    def basic_details(self, keyword):
        """Registration details of one company (by name or credit code) as a Company."""
        return Company.from_result(self._get("/ECIV4/GetBasicDetailsByName", {"keyword": keyword}) or {})

    # PRIVATE

    def _get(self, path, params):
        keyword = str(params.get("searchKey") or params.get("keyword") or "").strip()
        if len(keyword) < 2:
            raise BadInput("213", "keyword shorter than 2 characters")
        cache_key = f"{path}?{sorted(params.items())}"
        cached = self.cache.get(cache_key)
        if cached is not None:
            return cached
        self._refuse_while_blocked(cache_key)
        envelope = self._send(path, params)
        status = str(envelope.get("Status", ""))
        if status == "200":
            result = envelope.get("Result")
            self.cache.set(cache_key, result, self.cache_seconds)
            return result
        raise self._error(status, envelope.get("Message") or "", cache_key)

    def _refuse_while_blocked(self, cache_key):
        now = self.clock()
        backoff = self.cache.get("backoff")
        if backoff and backoff["until"] > now:
            raise RateLimited(backoff["code"], "backing off after a rate limit", retry_at=backoff["until"])
        locked_until = self.cache.get(f"lock:{cache_key}")
        if locked_until and locked_until > now:
            raise RepeatedFailure(
                "110", "query failed repeatedly; not repeated before the lock ends", retry_at=locked_until
            )

    def _send(self, path, params):
        timespan = str(int(self.clock()))
        headers = {"Token": sign(self.app_key, self.secret_key, timespan), "Timespan": timespan}
        self.calls += 1
        try:
            response = self.session.get(
                f"{self.base_url}{path}",
                params={"key": self.app_key, **params},
                headers=headers,
                timeout=self.timeout,
            )
        except requests.exceptions.RequestException as error:  # timeout, refused, reset: may come back
            raise TransportError("transport", str(error)) from error
        if response.status_code >= 500:
            raise TransportError(str(response.status_code), "server error")
        if response.status_code != 200:
            raise QichachaError(str(response.status_code), "unexpected HTTP status")
        try:
            return response.json()
        except ValueError as error:
            raise TransportError("invalid-json", "answer is not JSON") from error

    def _error(self, status, message, cache_key):
        cls = ERRORS.get(status, QichachaError)
        if cls is RateLimited:
            until = self.clock() + BACKOFF_SECONDS[status]
            self.cache.set("backoff", {"code": status, "until": until}, BACKOFF_SECONDS[status])
            return RateLimited(status, message, retry_at=until)
        if cls is RepeatedFailure:
            until = self.clock() + LOCKOUT_110_SECONDS
            self.cache.set(f"lock:{cache_key}", until, LOCKOUT_110_SECONDS)
            return RepeatedFailure(status, message, retry_at=until)
        return cls(status, message)
