"""Unified social credit code (统一社会信用代码) per GB 32100-2015.

18 characters: registration authority (1), entity type (1), administrative division (6),
organisation code (9, GB 11714 with its own check character) and a check character over the
first 17, computed with the weights below modulo 31 over a 31-character alphabet that leaves out
I, O, S, V and Z.
"""

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUES = {char: value for value, char in enumerate(CHARSET)}

# GB 11714 organisation code: 8 characters (digits, upper-case letters) and a check character.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class CreditCodeError(ValueError):
    """A credit code that cannot be valid; ``reason`` is a short machine-readable key."""

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason


def normalize(code):
    """Upper-case, strip spaces and convert full-width characters to half-width."""
    if not code:
        return ""
    chars = []
    for char in str(code):
        point = ord(char)
        if 0xFF01 <= point <= 0xFF5E:
            char = chr(point - 0xFEE0)
        elif point == 0x3000:
            char = " "
        chars.append(char)
    return "".join(chars).replace(" ", "").upper()


def check_character(first17):
    """Check character for the first 17 characters of a credit code."""
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def org_code_check_character(first8):
    """GB 11714 check character (digit or X) for an 8-character organisation code."""
    total = sum(_org_value(char) * weight for char, weight in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _org_value(char):
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def validate(code):
    """Return the normalised code or raise CreditCodeError with the first problem found."""
    code = normalize(code)
    if len(code) != 18:
        raise CreditCodeError("length", f"must have 18 characters, got {len(code)}")
    bad = [char for char in code if char not in _VALUES]
    if bad:
        raise CreditCodeError("charset", f"contains characters not allowed: {''.join(sorted(set(bad)))}")
    if not code[2:8].isdigit():
        raise CreditCodeError("division", "characters 3 to 8 must be a 6-digit administrative division code")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError("check", f"check character should be {expected}, got {code[17]}")
    return code


def is_valid(code):
    try:
        validate(code)
    except CreditCodeError:
        return False
    return True


def build(authority, entity_type, division, org_code8):
    """Compose a valid code from its parts (used by demo data and the large-data generator)."""
    org = org_code8 + org_code_check_character(org_code8)
    first17 = f"{authority}{entity_type}{division}{org}"
    return first17 + check_character(first17)
