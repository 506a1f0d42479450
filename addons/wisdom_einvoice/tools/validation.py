"""Checks of an invoice request before it goes to the provider: every problem is listed at once.

Plain values in, a list of ``Problem`` out (a code, the line it concerns and values for the
message); the ORM turns each code into a translated sentence.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .amounts import VALID_RATES, to_decimal

GOODS_CODE_MAX = 19
GOODS_CODE_PATTERN = re.compile(r"^\d{1,19}$")
TAXPAYER_ID_PATTERN = re.compile(r"^[0-9A-Z]{15,20}$")
ORDER_NO_MAX = 20
MAX_LINES = 2000
QTY_TOLERANCE = Decimal("0.000001")


def normalize_goods_code(code):
    """Without spaces; ``""`` for nothing."""
    return re.sub(r"\s+", "", code or "")


def goods_code_problem(code):
    """None when ``code`` is a valid 税收分类编码 (digits only, at most 19), else the reason."""
    code = normalize_goods_code(code)
    if not code:
        return "missing"
    if len(code) > GOODS_CODE_MAX:
        return "too_long"
    if not GOODS_CODE_PATTERN.match(code):
        return "not_digits"
    return None


@dataclass(frozen=True)
class LineData:
    name: str
    goods_code: str
    quantity: Decimal | float
    unit_price: Decimal | float
    tax_rate: Decimal | float
    invoiceable_qty: Decimal | float  # shipped, not yet invoiced nor in another open request
    open_qty: Decimal | float  # ordered, not yet invoiced nor in another open request


@dataclass(frozen=True)
class RequestData:
    buyer_name: str
    buyer_tax_id: str
    seller_tax_id: str
    invoice_kind: str  # "special" 数电专票 / "normal" 数电普票
    lines: tuple = ()
    pre_invoice: bool = False  # 预开票 asked for: more than shipped is allowed, after approval
    pre_invoice_reason: str = ""


@dataclass(frozen=True)
class Problem:
    code: str
    line: int = 0  # 1-based line number, 0 for the request
    values: dict = field(default_factory=dict)


def validate_request(data):
    """Every problem of ``data`` (empty list: the request may be issued)."""
    problems = []
    if not (data.buyer_name or "").strip():
        problems.append(Problem("buyer_name_missing"))
    buyer_id = (data.buyer_tax_id or "").strip().upper()
    if not buyer_id:
        # a 普票 to a company needs its id as well; only individuals go without, not our customers
        problems.append(Problem("buyer_tax_id_missing"))
    elif not TAXPAYER_ID_PATTERN.match(buyer_id):
        problems.append(Problem("buyer_tax_id_invalid", values={"value": buyer_id}))
    if not (data.seller_tax_id or "").strip():
        problems.append(Problem("seller_tax_id_missing"))
    if data.invoice_kind not in ("special", "normal"):
        problems.append(Problem("invoice_kind_invalid"))
    if not data.lines:
        problems.append(Problem("no_lines"))
    if len(data.lines) > MAX_LINES:
        problems.append(Problem("too_many_lines", values={"count": len(data.lines), "max": MAX_LINES}))
    if data.pre_invoice and is_pre_invoice(data.lines) and not (data.pre_invoice_reason or "").strip():
        problems.append(Problem("pre_invoice_reason_missing"))
    total = Decimal(0)
    for number, line in enumerate(data.lines, start=1):
        problems += _line_problems(number, line, data.pre_invoice)
        total += to_decimal(line.quantity) * to_decimal(line.unit_price)
    if data.lines and total <= 0:
        problems.append(Problem("zero_total"))
    return problems


def _line_problems(number, line, pre_invoice):
    problems = []
    name = line.name or ""
    reason = goods_code_problem(line.goods_code)
    if reason:
        problems.append(Problem(f"goods_code_{reason}", number, {"product": name, "code": line.goods_code or ""}))
    quantity, price = to_decimal(line.quantity), to_decimal(line.unit_price)
    if quantity <= 0 or price <= 0:
        problems.append(Problem("zero_amount", number, {"product": name}))
    if to_decimal(line.tax_rate) not in VALID_RATES:
        problems.append(Problem("tax_rate_invalid", number, {"product": name, "rate": str(line.tax_rate)}))
    invoiceable, open_qty = to_decimal(line.invoiceable_qty), to_decimal(line.open_qty)
    if quantity - open_qty > QTY_TOLERANCE:
        problems.append(
            Problem("more_than_ordered", number, {"product": name, "qty": _qty(quantity), "open": _qty(open_qty)})
        )
    elif quantity - invoiceable > QTY_TOLERANCE and not pre_invoice:
        problems.append(
            Problem("more_than_shipped", number, {"product": name, "qty": _qty(quantity), "open": _qty(invoiceable)})
        )
    return problems


def _qty(value):
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def is_pre_invoice(lines):
    """True when any line invoices more than was shipped and not yet invoiced (预开票)."""
    return any(to_decimal(line.quantity) - to_decimal(line.invoiceable_qty) > QTY_TOLERANCE for line in lines)


def order_no(name):
    """The provider's order number (≤ 20 characters, unique per seller) from the request number."""
    cleaned = re.sub(r"[^0-9A-Za-z]", "", name or "")
    if not cleaned:
        raise ValueError("the request has no number yet")
    return cleaned[-ORDER_NO_MAX:]
