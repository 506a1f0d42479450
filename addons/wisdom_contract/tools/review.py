"""Contract policy review: a contract snapshot and the review rules in, findings out.

Pure Python (no ``odoo`` import) so that it is unit-tested without a database and benchmarked on
its own. The ORM layer (``sale.order._wisdom_review_snapshot`` / ``wisdom.review.rule``) builds the
dataclasses below and stores the findings as ``wisdom.review.line`` records.

Each rule has a check type, a threshold, an outcome (approval by a role, or block) and a scope
(contract types, customer categories and grades, product categories; empty = everything). A rule
yields one finding per offending line for line checks (price, discount, non-standard) and one
finding per contract for the other checks; a rule that finds nothing yields one ``pass`` finding,
so the rep sees what was checked.
"""

import hashlib
from dataclasses import dataclass, field

PASS = "pass"
APPROVAL = "approval"
BLOCK = "block"

ROLE_DIRECTOR = "director"
ROLE_PRODUCT_MANAGER = "product_manager"
ROLE_FINANCE = "finance"
ROLES = (ROLE_DIRECTOR, ROLE_PRODUCT_MANAGER, ROLE_FINANCE)

# Message code of a finding -> how its observed value and threshold are written in the message.
# The messages themselves are English source strings translated through the .po files at display
# time (wisdom.review.line.FINDING_MESSAGES); a finding carries only its code and parameters.
NUMBER_FORMATS = {
    "price_floor": "amount",
    "discount_limit": "percent",
    "margin_min": "percent",
    "nonstandard": "count",
    "credit_days": "count",
    "overdue": "amount",
    "credit_limit": "amount",
    "delivery_lead": "count",
    "warranty": "count",
    "prepayment_min": "percent",
    "retention_max": "percent",
    "amount_above": "amount",
}
PASS_CODE = "pass"
FORMATS = {"amount": "{:,.2f}", "percent": "{:.2f}", "count": "{:.0f}"}
CHECK_TYPES = tuple(NUMBER_FORMATS)
LINE_CHECKS = ("price_floor", "discount_limit", "nonstandard")


class ReviewRuleError(ValueError):
    """A review rule is configured in a way the evaluator cannot apply."""


@dataclass(frozen=True)
class LineSnapshot:
    key: int
    product: str
    category_ids: frozenset = frozenset()
    qty: float = 0.0
    price: float = 0.0
    list_price: float = 0.0
    floor_price: float = 0.0
    discount: float = 0.0
    cost: float = 0.0
    nonstandard: bool = False
    lead_days: int = 0
    warranty_months: int = 0


@dataclass(frozen=True)
class ContractSnapshot:
    contract_type: str = "standard"
    customer_category: str = ""
    customer_grade: str = ""
    credit_days_allowed: int = 0
    overdue_amount: float = 0.0
    credit_limit: float = 0.0
    credit_exposure: float = 0.0
    credit_days: int = 0
    delivery_days: int = 0
    warranty_months: int = 0
    prepayment_percent: float = 0.0
    retention_percent: float = 0.0
    amount: float = 0.0
    lines: tuple = ()


@dataclass(frozen=True)
class Rule:
    rule_id: int
    check_type: str
    threshold: float = 0.0
    outcome: str = APPROVAL
    role: str = ROLE_DIRECTOR
    contract_types: frozenset = frozenset()
    customer_categories: frozenset = frozenset()
    customer_grades: frozenset = frozenset()
    product_category_ids: frozenset = frozenset()


@dataclass(frozen=True)
class Finding:
    rule_id: int
    check_type: str
    outcome: str
    role: str = ""
    line_key: int = 0
    observed: float = 0.0
    threshold: float = 0.0
    product: str = ""

    def key(self):
        """What an approver approved: rule, line, observed value, threshold and outcome."""
        return (self.rule_id, self.line_key, round(self.observed, 4), round(self.threshold, 4), self.outcome)


@dataclass
class ReviewResult:
    findings: list = field(default_factory=list)

    @property
    def blocking(self):
        return [f for f in self.findings if f.outcome == BLOCK]

    def needs(self, role):
        return any(f.outcome == APPROVAL and f.role == role for f in self.findings)

    def role_fingerprint(self, role=None):
        """Stable digest of the approval findings of ``role`` (all roles when None)."""
        keys = sorted(f.key() for f in self.findings if f.outcome == APPROVAL and (role is None or f.role == role))
        return hashlib.sha1(repr(keys).encode()).hexdigest()


# HELPERS


def _applies(rule, contract):
    if rule.contract_types and contract.contract_type not in rule.contract_types:
        return False
    if rule.customer_categories and contract.customer_category not in rule.customer_categories:
        return False
    return not (rule.customer_grades and contract.customer_grade not in rule.customer_grades)


def _line_in_scope(rule, line):
    return not rule.product_category_ids or bool(rule.product_category_ids & line.category_ids)


def _finding(rule, observed, threshold, line=None):
    return Finding(
        rule_id=rule.rule_id,
        check_type=rule.check_type,
        outcome=rule.outcome,
        role=rule.role if rule.outcome == APPROVAL else "",
        line_key=line.key if line else 0,
        observed=observed,
        threshold=threshold,
        product=line.product if line else "",
    )


def line_discount(line):
    """Discount in % off the list price, from the agreed price (and the line's own discount)."""
    if line.list_price <= 0:
        return 0.0
    net = line.price * (1 - line.discount / 100)
    return max(0.0, (1 - net / line.list_price) * 100)


def margin_percent(lines):
    revenue = sum(line.qty * line.price * (1 - line.discount / 100) for line in lines)
    if revenue <= 0:
        return 0.0
    cost = sum(line.qty * line.cost for line in lines)
    return (revenue - cost) / revenue * 100


# CHECKS: each returns a list of (observed, threshold, line or None) for the offending cases.


def _check_price_floor(rule, contract, lines):
    return [
        (line.price * (1 - line.discount / 100), line.floor_price, line)
        for line in lines
        if line.floor_price > 0 and line.price * (1 - line.discount / 100) < line.floor_price
    ]


def _check_discount_limit(rule, contract, lines):
    return [(d, rule.threshold, line) for line in lines if (d := line_discount(line)) > rule.threshold + 1e-9]


def _check_nonstandard(rule, contract, lines):
    return [(1.0, 0.0, line) for line in lines if line.nonstandard]


def _check_margin_min(rule, contract, lines):
    if not lines:
        return []
    value = margin_percent(lines)
    return [(value, rule.threshold, None)] if value < rule.threshold else []


def _check_credit_days(rule, contract, lines):
    allowed = contract.credit_days_allowed + rule.threshold
    return [(contract.credit_days, allowed, None)] if contract.credit_days > allowed else []


def _check_overdue(rule, contract, lines):
    return [(contract.overdue_amount, rule.threshold, None)] if contract.overdue_amount > rule.threshold else []


def _check_credit_limit(rule, contract, lines):
    if contract.credit_limit <= 0:
        return []
    exposure = contract.credit_exposure + contract.amount
    return [(exposure, contract.credit_limit, None)] if exposure > contract.credit_limit else []


def _check_delivery_lead(rule, contract, lines):
    standard = max([line.lead_days for line in lines] + [int(rule.threshold)])
    if not contract.delivery_days or not standard:
        return []
    return [(contract.delivery_days, standard, None)] if contract.delivery_days < standard else []


def _check_warranty(rule, contract, lines):
    standard = max([line.warranty_months for line in lines if line.warranty_months] or [int(rule.threshold)])
    return [(contract.warranty_months, standard, None)] if contract.warranty_months > standard else []


def _check_prepayment_min(rule, contract, lines):
    value = contract.prepayment_percent
    return [(value, rule.threshold, None)] if value < rule.threshold - 1e-9 else []


def _check_retention_max(rule, contract, lines):
    value = contract.retention_percent
    return [(value, rule.threshold, None)] if value > rule.threshold + 1e-9 else []


def _check_amount_above(rule, contract, lines):
    return [(contract.amount, rule.threshold, None)] if contract.amount > rule.threshold else []


CHECKS = {
    "price_floor": _check_price_floor,
    "discount_limit": _check_discount_limit,
    "nonstandard": _check_nonstandard,
    "margin_min": _check_margin_min,
    "credit_days": _check_credit_days,
    "overdue": _check_overdue,
    "credit_limit": _check_credit_limit,
    "delivery_lead": _check_delivery_lead,
    "warranty": _check_warranty,
    "prepayment_min": _check_prepayment_min,
    "retention_max": _check_retention_max,
    "amount_above": _check_amount_above,
}


# MESSAGES


def message_code(finding):
    """The code of the finding's message: its check type, or ``pass`` when it found nothing."""
    return PASS_CODE if finding.outcome == PASS else finding.check_type


def message_params(finding):
    """The parameters of the finding's message as plain values (stored with the finding)."""
    return {"product": finding.product, "observed": finding.observed, "threshold": finding.threshold}


def format_message_params(code, params):
    """The parameters as written into the message of ``code``: amounts 1,234.50, percents 12.50, counts 30."""
    number = FORMATS[NUMBER_FORMATS.get(code, "amount")]
    params = params or {}
    return {
        "product": params.get("product") or "",
        "observed": number.format(float(params.get("observed") or 0.0)),
        "threshold": number.format(float(params.get("threshold") or 0.0)),
    }


# ENTRY POINT


def validate_rule(rule):
    if rule.check_type not in CHECKS:
        raise ReviewRuleError(f"Unknown check type {rule.check_type!r}")
    if rule.outcome not in (APPROVAL, BLOCK):
        raise ReviewRuleError(f"Unknown outcome {rule.outcome!r}")
    if rule.outcome == APPROVAL and rule.role not in ROLES:
        raise ReviewRuleError(f"Rule {rule.rule_id} needs an approving role")


def evaluate(contract, rules):
    """Findings of ``rules`` on ``contract``: offending cases, or one pass finding per applicable rule."""
    result = ReviewResult()
    for rule in rules:
        validate_rule(rule)
        if not _applies(rule, contract):
            continue
        lines = [line for line in contract.lines if _line_in_scope(rule, line)]
        if rule.product_category_ids and not lines:
            continue
        hits = CHECKS[rule.check_type](rule, contract, lines)
        if not hits:
            result.findings.append(Finding(rule.rule_id, rule.check_type, PASS))
        for observed, threshold, line in hits:
            result.findings.append(_finding(rule, float(observed), float(threshold), line))
    return result
