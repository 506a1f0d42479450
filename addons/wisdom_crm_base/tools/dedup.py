"""Duplicate detection for Chinese and English company names (客户查重).

Pure functions: a name normaliser that folds width, case, brackets, punctuation and company-form
suffixes; a trigram similarity computed the way PostgreSQL's pg_trgm does; and a scorer that
combines credit code, name, phone and e-mail into a score with reasons.
"""

import os
import re
import unicodedata
from dataclasses import dataclass, field

# Longest first: "集团有限公司" must go before "有限公司".
_CN_SUFFIXES = (
    "集团股份有限公司",
    "集团有限责任公司",
    "集团有限公司",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "股份公司",
    "集团公司",
    "总公司",
    "公司",
)
_EN_SUFFIXES = (
    "company limited",
    "co ltd",
    "co limited",
    "corporation",
    "incorporated",
    "limited",
    "company",
    "holdings",
    "corp",
    "ltd",
    "inc",
    "plc",
    "llc",
    "gmbh",
    "co",
    "sa",
    "bhd",
    "berhad",
)
_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)  # fmt: skip
_REGION_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")
_PUNCTUATION = re.compile(r"[\s\W_]+", re.UNICODE)
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"})


def normalize_name(name, strip_region=False):
    """Fold a company name into a comparable key.

    Full-width → half-width (NFKC), lower case, brackets unified then dropped with punctuation and
    spaces, trailing company-form suffixes removed ("分公司" stays: a branch is another customer),
    and optionally a leading province name.
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", str(name)).lower().translate(_BRACKETS)
    text = text.replace("&", " and ")
    words = _PUNCTUATION.sub(" ", text).split()
    # English suffixes work on words ("Co., Ltd." → "co ltd").
    joined = " ".join(words)
    changed = True
    while changed and joined:
        changed = False
        for suffix in _EN_SUFFIXES:
            if joined.endswith(" " + suffix):
                joined = joined[: -len(suffix) - 1].rstrip()
                changed = True
    key = joined.replace(" ", "")
    key = _strip_cn_suffixes(key)
    if strip_region:
        key = _strip_region(key)
    return key


def _strip_cn_suffixes(key):
    if key.endswith("分公司"):
        return key  # a branch is kept as distinguishing
    changed = True
    while changed:
        changed = False
        for suffix in _CN_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                changed = True
                break
    return key


def _strip_region(key):
    for province in _PROVINCES:
        if key.startswith(province) and len(key) > len(province) + 1:
            rest = key[len(province) :]
            for suffix in _REGION_SUFFIXES:
                if rest.startswith(suffix):
                    rest = rest[len(suffix) :]
                    break
            return rest or key
    return key


def normalize_phone(phone):
    """Digits only, without a leading China country code; '' when too short to compare."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone or ""))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
    digits = digits.lstrip("0")
    return digits if len(digits) >= 7 else ""


def normalize_email(email):
    return unicodedata.normalize("NFKC", email or "").strip().lower()


def trigrams(text):
    """The trigram set pg_trgm builds: per word, padded with two spaces before and one after."""
    grams = set()
    for word in re.findall(r"\w+", (text or "").lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a, b):
    """pg_trgm's similarity(): shared trigrams over all distinct trigrams."""
    left, right = trigrams(a), trigrams(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def bigram_dice(a, b):
    """Dice coefficient over character bigrams: fairer than trigrams for short Chinese names,
    where one extra character (省, 市) removes three of a handful of trigrams."""
    left = {a[i : i + 2] for i in range(len(a) - 1)}
    right = {b[i : i + 2] for i in range(len(b) - 1)}
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


BRANCH = "分公司"
BRANCH_CAP = 0.5


def name_similarity(a, b):
    """Trigram similarity (as pg_trgm computes it), or bigram Dice for Chinese names if higher.

    Two branches (分公司) of one parent in different places are different customers: when both
    names are branches and what follows their common beginning differs, the score stays low.
    """
    value = similarity(a, b)
    if _CJK.search(a) and _CJK.search(b):
        value = max(value, bigram_dice(a, b))
    if a.endswith(BRANCH) and b.endswith(BRANCH):
        common = len(os.path.commonprefix([a, b]))
        if bigram_dice(a[common:], b[common:]) < 0.6:
            value = min(value, BRANCH_CAP)
    return value


@dataclass
class Candidate:
    """What the scorer needs to know of a customer (the new values or an existing record)."""

    name: str = ""
    credit_code: str = ""
    phone: str = ""
    email: str = ""
    id: int = 0
    name_key: str = field(default="", compare=False)

    def key(self):
        return self.name_key or normalize_name(self.name)


@dataclass
class Match:
    id: int
    score: float
    reasons: list
    blocking: bool


def score(new, existing):
    """Score how likely ``existing`` is the same company as ``new``: 1.0 for certain.

    Exact credit code or exact normalised name block; otherwise the name similarity, raised by a
    shared phone number or e-mail address.
    """
    reasons = []
    if new.credit_code and existing.credit_code and new.credit_code.upper() == existing.credit_code.upper():
        reasons.append("credit_code")
    new_key, old_key = new.key(), existing.key()
    if new_key and new_key == old_key:
        reasons.append("name_exact")
    if reasons:
        return Match(existing.id, 1.0, reasons, True)
    value = name_similarity(new_key, old_key) if new_key and old_key else 0.0
    if value:
        reasons.append("name_similar")
    phone = normalize_phone(new.phone)
    if phone and phone == normalize_phone(existing.phone):
        reasons.append("phone")
        value = max(value, 0.5) + 0.2
    email = normalize_email(new.email)
    if email and email == normalize_email(existing.email):
        reasons.append("email")
        value = max(value, 0.5) + 0.2
    return Match(existing.id, round(min(value, 0.99), 4), reasons, False)


def rank(new, candidates, threshold):
    """Matches of ``new`` among ``candidates`` at or above ``threshold``, best first."""
    matches = [score(new, candidate) for candidate in candidates]
    kept = [m for m in matches if m.blocking or m.score >= threshold]
    return sorted(kept, key=lambda m: (-m.score, m.id))


def exact_duplicates(news, existing):
    """For each of ``news`` (companies saved together), ``(candidate, reasons)`` of the first of
    ``existing`` or of the earlier ``news`` it exactly duplicates (same credit code or same
    normalised name), else None. A candidate with an empty name and key takes part by credit code
    only (companies that are not customers)."""
    by_code, by_key = {}, {}

    def index(candidate):
        if candidate.credit_code:
            by_code.setdefault(candidate.credit_code.upper(), candidate)
        if key := candidate.key():
            by_key.setdefault(key, candidate)

    for candidate in existing:
        index(candidate)
    results = []
    for new in news:
        hit = (by_code.get(new.credit_code.upper()) if new.credit_code else None) or (
            by_key.get(new.key()) if new.key() else None
        )
        results.append((hit, score(new, hit).reasons) if hit else None)
        index(new)
    return results
