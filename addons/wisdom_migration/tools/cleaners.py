"""Cleaners for the cells of the customer's historical workbooks (pure functions).

Each cleaner takes the raw cell value (str, int, float, datetime, date or None, as xlrd and
openpyxl return them) and returns the cleaned value or raises ``CleanError`` with a reason code and
its parameters (the wording of each code is in ``messages.MESSAGES``). ``None`` means "empty cell";
required-ness is the validator's concern.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from odoo.addons.wisdom_crm_base.tools import credit_code as credit_code_tools
from odoo.addons.wisdom_crm_base.tools import dedup

from .messages import Problem

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 with Excel's 1900 leap-year bug folded in
SERIAL_RANGE = (20000, 80000)  # 1954-10-03 … 2119-01-10: anything else is not a plausible business date
CENT = Decimal("0.01")
_BLANKS = {"", "-", "--", "—", "/", "无", "n/a", "na", "null", "none", "#n/a"}
_SPACES = re.compile(r"\s+")


class CleanError(ValueError):
    """A cell that cannot be cleaned: ``reason`` (a code of ``messages.MESSAGES``) and ``params``
    ({name: text}); ``str()`` of the error is the English message."""

    def __init__(self, reason, params=None):
        self.problem = Problem(reason, {name: str(value) for name, value in (params or {}).items()})
        super().__init__(self.problem.message)
        self.reason = reason
        self.params = self.problem.params


# TEXT


def width(value):
    """Full-width letters, digits and punctuation → half-width (NFKC), ideographic space → space."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number: 1001.0 → "1001"
    return unicodedata.normalize("NFKC", str(value)).replace("\u3000", " ")


def trim(value):
    """Strip, collapse inner whitespace (line breaks of wrapped cells too); blanks → None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _SPACES.sub(" ", str(value).replace("\u3000", " ")).strip()
    return None if text.lower() in _BLANKS else text


def text(value):
    """The usual text cleaning: width then trim."""
    return trim(width(value))


def company_name(value):
    """A company name: width-folded, no inner spaces between Chinese characters, brackets unified to
    the full-width ones Chinese registrations use."""
    value = text(value)
    if value is None:
        return None
    value = re.sub(r"(?<=[\u4e00-\u9fff)]) (?=[\u4e00-\u9fff(])", "", value)
    return value.replace("(", "（").replace(")", "）")


def name_key(value):
    """The dedup key of a company name (see wisdom_crm_base.tools.dedup.normalize_name)."""
    return dedup.normalize_name(value) if value else None


# DATES


def to_date(value):
    """Dates as the sheets hold them: date cells, Excel serial numbers (as numbers or text) and text
    such as 2021-3-5, 2021/03/05, 2021.3.5, 2021年3月5日, 20210305, with full-width digits."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value)
    raw = text(value)
    if raw is None:
        return None
    raw = raw.replace("号", "日")
    if re.fullmatch(r"\d{5}(\.0+)?", raw):
        return _from_serial(float(raw))
    if re.fullmatch(r"\d{8}", raw):
        return _make_date(int(raw[:4]), int(raw[4:6]), int(raw[6:]), value)
    match = _DATE_TEXT.fullmatch(raw)
    if match:
        return _make_date(*(int(part) for part in match.groups()), value)
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw)  # 3/5/2021 as US-formatted exports write it
    if match:
        month, day, year = (int(part) for part in match.groups())
        return _make_date(year, month, day, value)
    raise CleanError("date_format", {"value": value})


_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
)


def _from_serial(number):
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise CleanError("date_range", {"value": f"{number:g}"})
    return EXCEL_EPOCH + timedelta(days=int(number))


def _make_date(year, month, day, original):
    try:
        return date(year, month, day)
    except ValueError as error:
        raise CleanError("date_invalid", {"value": original}) from error


# MONEY AND NUMBERS

_UNITS = (
    ("万元", Decimal(10000)),
    ("万", Decimal(10000)),
    ("亿元", Decimal(10**8)),
    ("亿", Decimal(10**8)),
    ("元", Decimal(1)),
    ("rmb", Decimal(1)),
    ("cny", Decimal(1)),
)


def amount(value):
    """An amount in yuan, rounded to the fen: numbers, '1,234.50', '１２３４．５', '¥1 000', '12.5万元',
    '3.2万', '(500.00)' (negative), 'RMB 800'. Float noise of computed cells is rounded away."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CleanError("amount_format", {"value": value})
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)
    raw = text(value)
    if raw is None:
        return None
    cleaned = raw.lower().replace("¥", "").replace("￥", "").replace(" ", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    cleaned = cleaned.strip("()")
    factor = Decimal(1)
    for unit, unit_factor in _UNITS:
        if cleaned.endswith(unit):
            cleaned, factor = cleaned[: -len(unit)], unit_factor
            break
        if cleaned.startswith(unit):
            cleaned = cleaned[len(unit) :]
            break
    if not re.fullmatch(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?", cleaned):
        raise CleanError("amount_format", {"value": raw})
    try:
        number = Decimal(cleaned.replace(",", "")) * factor
    except InvalidOperation as error:  # pragma: no cover - the pattern above already refuses it
        raise CleanError("amount_format", {"value": raw}) from error
    return (-number if negative else number).quantize(CENT, ROUND_HALF_UP)


def positive_amount(value):
    """An amount that must be above zero (contract, plan and collection amounts)."""
    number = amount(value)
    if number is not None and number <= 0:
        raise CleanError("amount_not_positive", {"value": number})
    return number


def quantity(value):
    """A quantity: a number above zero, '1,200', '１２００', '50台', '3 套'."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        raw = text(value)
        if raw is None:
            return None
        match = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*[\u4e00-\u9fffa-zA-Z]{0,3}", raw)
        if not match:
            raise CleanError("quantity_format", {"value": raw})
        number = Decimal(match.group(1).replace(",", "") + (match.group(2) or ""))
    if number <= 0:
        raise CleanError("quantity_not_positive", {"value": number})
    return number.quantize(Decimal("0.001"), ROUND_HALF_UP).normalize()


def integer(value):
    """Whole numbers such as months or days: 12, '12', '12个月', '３０天'."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value) != int(value):
            raise CleanError("integer_format", {"value": value})
        return int(value)
    raw = text(value)
    if raw is None:
        return None
    match = re.fullmatch(r"(\d+)\s*(个月|月|天|日|年|days?|months?)?", raw.lower())
    if not match:
        raise CleanError("integer_format", {"value": raw})
    return int(match.group(1)) * (12 if match.group(2) == "年" else 1)


def percent(value):
    """A percentage as a number of percent: 10, '10%', '１０％', 0.1 from a percent-formatted cell."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = Decimal(str(value))
        number = number * 100 if 0 < number < 1 else number
    else:
        raw = text(value)
        if raw is None:
            return None
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%?", raw)
        if not match:
            raise CleanError("percent_format", {"value": raw})
        number = Decimal(match.group(1))
    if not 0 <= number <= 100:
        raise CleanError("percent_range", {"value": number})
    return number.quantize(CENT, ROUND_HALF_UP)


# IDENTIFIERS


def phone(value):
    """A phone number: mobiles as 11 digits, landlines as area code-number[-extension]; the country
    code and separators go. Numbers typed into numeric cells (13800138000.0) are handled."""
    raw = text(value)
    if raw is None:
        return None
    digits_text = re.sub(r"^(\+?86|0086)[\s-]*", "", raw)
    extension = ""
    if match := re.search(r"(?:转|ext\.?|x|#)\s*(\d{1,6})$", digits_text, re.IGNORECASE):
        extension, digits_text = match.group(1), digits_text[: match.start()]
    digits = re.sub(r"\D", "", digits_text)
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return digits
    landline = re.fullmatch(r"(0\d{2,3})(\d{7,8})", digits)
    if landline:
        area, number = landline.groups()
        if len(area) == 4 and area[:3] in ("010", "020", "021", "022", "023", "024", "025", "027", "028", "029"):
            area, number = area[:3], area[3:] + number  # 3-digit area codes of the big cities
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    if re.fullmatch(r"[48]00\d{7}", digits):
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    raise CleanError("phone_format", {"value": raw})


def credit_code(value):
    """A unified social credit code, width-folded and upper-cased, with its check character verified."""
    raw = text(value)
    if raw is None:
        return None
    try:
        return credit_code_tools.validate(raw)
    except credit_code_tools.CreditCodeError as error:
        normalized = credit_code_tools.normalize(raw)
        if error.reason == "length":
            raise CleanError("credit_code_length", {"value": raw, "length": len(normalized)}) from error
        if error.reason == "charset":
            bad = "".join(sorted({char for char in normalized if char not in credit_code_tools.CHARSET}))
            raise CleanError("credit_code_charset", {"value": raw, "characters": bad}) from error
        if error.reason == "check":
            expected = credit_code_tools.check_character(normalized[:17])
            raise CleanError(
                "credit_code_check", {"value": raw, "expected": expected, "found": normalized[17]}
            ) from error
        raise CleanError("credit_code_division", {"value": raw}) from error


def email(value):
    raw = text(value)
    if raw is None:
        return None
    raw = raw.lower().replace("＠", "@").rstrip(";,")
    if not re.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", raw):
        raise CleanError("email_format", {"value": raw})
    return raw


def code(value):
    """A document or product code: width-folded, upper-case, no spaces."""
    raw = text(value)
    return raw.replace(" ", "").upper() if raw is not None else None


# CONTACT CELLS

_CONTACT_SPLIT = re.compile(r"[;；,，、]|\s/\s")
_TITLE = re.compile(r"[(（]([^)）]{1,10})[)）]")
_PHONE_IN_TEXT = re.compile(
    r"(?:\+?86[\s-]?)?(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{7,8}(?:[\s-]*(?:转|ext)\s*\d+)?)"
)


def contact_cell(value):
    """One contact typed into one cell: '张三 13812345678', '李四（经理）0731-88886666', '王五/138 1234 5678',
    '赵六:13900001111'. Returns ``(name, phone, title)``; only the first contact of a list is taken,
    the others make the cell ambiguous and are refused."""
    raw = text(value)
    if raw is None:
        return None
    phones = _PHONE_IN_TEXT.findall(raw)
    parts = [p for p in _CONTACT_SPLIT.split(_PHONE_IN_TEXT.sub("", raw)) if p.strip(" :：/-")]
    if len(phones) > 1 or len(parts) > 1:
        raise CleanError("contact_several", {"value": raw})
    rest = _PHONE_IN_TEXT.sub(" ", raw)
    title = None
    if match := _TITLE.search(rest):
        title, rest = match.group(1).strip(), rest[: match.start()] + rest[match.end() :]
    name = re.sub(r"[\s:：/\-_]+", " ", rest).strip()
    if not name:
        raise CleanError("contact_no_name", {"value": raw})
    if len(name) > 40 or re.search(r"\d", name):
        raise CleanError("contact_format", {"value": raw})
    return (
        name.replace(" ", "") if re.fullmatch(r"[\u4e00-\u9fff ]+", name) else name,
        (phone(phones[0]) if phones else None),
        title,
    )


def contact_name(value):
    result = contact_cell(value)
    return result[0] if result else None


def contact_phone(value):
    result = contact_cell(value)
    return result[1] if result else None


CLEANERS = {
    "width": width,
    "trim": trim,
    "text": text,
    "company_name": company_name,
    "date": to_date,
    "amount": amount,
    "positive_amount": positive_amount,
    "quantity": quantity,
    "integer": integer,
    "percent": percent,
    "phone": phone,
    "credit_code": credit_code,
    "email": email,
    "code": code,
    "contact_name": contact_name,
    "contact_phone": contact_phone,
}
