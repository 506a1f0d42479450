"""What the migration says about a refused cell or a failed run, as a code and its parameters.

Pure Python (no ``odoo`` import): the cleaners, the row validator and the reconciliation carry a
``Problem`` (a reason code and a dict of parameters, all text) instead of a sentence. ``MESSAGES``
holds the English wording of every code, for the command line and the unit tests; the Odoo layer
words the same codes in the reader's language (``models/migration_messages.py``, the same English
source strings inside ``env._()`` calls, translated in ``i18n/zh_CN.po``). A unit test keeps the
two in step.
"""

from typing import NamedTuple

MESSAGES = {
    # cleaners
    "date_format": "'%(value)s' is not a date",
    "date_range": "%(value)s is not a plausible Excel date serial",
    "date_invalid": "'%(value)s' is not a calendar date",
    "amount_format": "'%(value)s' is not an amount",
    "amount_not_positive": "%(value)s must be greater than zero",
    "quantity_format": "'%(value)s' is not a quantity",
    "quantity_not_positive": "%(value)s must be greater than zero",
    "integer_format": "'%(value)s' is not a whole number",
    "percent_format": "'%(value)s' is not a percentage",
    "percent_range": "%(value)s is not between 0 and 100 %%",
    "phone_format": "'%(value)s' is not a mobile or landline number",
    "credit_code_length": "credit code '%(value)s' must have 18 characters, not %(length)s",
    "credit_code_charset": "credit code '%(value)s' contains characters that are not allowed: %(characters)s",
    "credit_code_division": "credit code '%(value)s': characters 3 to 8 must be a 6-digit administrative division code",
    "credit_code_check": "credit code '%(value)s': the check character should be %(expected)s, not %(found)s",
    "email_format": "'%(value)s' is not an e-mail address",
    "contact_several": "'%(value)s' holds more than one contact: one contact per row",
    "contact_no_name": "'%(value)s' has no contact name",
    "contact_format": "'%(value)s' is not a name followed by a phone number",
    # row validator
    "value_unknown": "'%(value)s' is not one of: %(allowed)s",
    "required": "a value is required",
    "key_missing": "the row has no key",
    "key_duplicate": "key %(key)s already on row %(row)s",
    "total_mismatch": "the contract amount %(expected)s differs from the sum of its lines %(total)s",
    "contract_rejected": "contract %(contract)s is not loaded",
    "line_amount_mismatch": "%(quantity)s × %(price)s = %(computed)s, not %(amount)s",
    # loader
    "customer_unknown": "no customer '%(value)s' loaded or in the database",
    "contract_unknown": "no contract '%(value)s' loaded or in the database",
    "product_unknown": "no product '%(value)s' in the database",
    "user_unknown": "no user '%(value)s' in the database",
    "over_collected": "collections of contract %(contract)s would exceed its collection plan",
    "invoice_line_unmatched": "contract %(contract)s: no line to invoice (line no. '%(line)s', product '%(product)s')",
    "load_error": "the row cannot be loaded: %(error)s",
    # reconciliation (why a run fails)
    "accuracy_below": "Field accuracy %(accuracy)s %% is below %(threshold)s %%.",
    "money_differs": "%(count)s money totals differ between source and database.",
}


class Problem(NamedTuple):
    """A reason code and its parameters ({name: text}); ``message`` is the English wording."""

    reason: str
    params: dict = {}  # noqa: RUF012 - a NamedTuple default, never mutated

    @property
    def message(self):
        return render(self.reason, self.params)


def render(code, params=None, templates=None):
    """The message of ``code`` with ``params``, worded by ``templates`` (default: English ``MESSAGES``).
    A code without a template, or a template whose placeholders the parameters do not fill, gives the
    code and the parameters rather than an error."""
    template = (templates or MESSAGES).get(code)
    if template is None:
        return _fallback(code, params)
    try:
        return template % (params or {})
    except (KeyError, TypeError, ValueError):
        return _fallback(code, params)


def _fallback(code, params):
    if not params:
        return code
    return f"{code}: " + ", ".join(f"{name}={value}" for name, value in sorted(params.items()))
