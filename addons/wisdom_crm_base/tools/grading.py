"""Customer grading (客户分级): the first rule whose conditions all hold gives the grade."""

from dataclasses import dataclass


@dataclass
class GradeRule:
    grade: str
    min_contract_amount_12m: float = 0.0  # 0: no condition
    min_collection_ratio: float = 0.0  # 0..1; 0: no condition
    max_overdue_ratio: float = 1.0  # 0..1; 1: no condition
    strategic_only: bool = False
    id: int = 0


@dataclass
class GradeFigures:
    contract_amount_12m: float = 0.0
    collection_ratio: float = 0.0
    overdue_ratio: float = 0.0
    strategic: bool = False


def matches(rule, figures):
    return (
        figures.contract_amount_12m >= rule.min_contract_amount_12m
        and figures.collection_ratio >= rule.min_collection_ratio
        and figures.overdue_ratio <= rule.max_overdue_ratio
        and (figures.strategic or not rule.strategic_only)
    )


def evaluate(rules, figures, default=None):
    """(grade, rule) of the first matching rule in the given order, else (default, None)."""
    for rule in rules:
        if matches(rule, figures):
            return rule.grade, rule
    return default, None


def ratios(collected_12m, contract_12m, overdue, receivable):
    """Collection ratio and overdue ratio, 0 where there is nothing to divide by."""
    collection = collected_12m / contract_12m if contract_12m else 0.0
    overdue_ratio = overdue / receivable if receivable else 0.0
    return min(collection, 1.0), min(overdue_ratio, 1.0)
