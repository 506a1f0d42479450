"""The migration's messages in the reader's language: each reason code of ``tools.messages`` and
each label of ``tools.report`` worded with ``env._()`` (the English source strings are those of
``tools.messages.MESSAGES`` and ``tools.report.LABELS``, written out here so that the translation
export finds them; ``tests/unit/test_messages.py`` checks that both sides say the same).

Nothing here imports ``odoo``: the functions take the environment whose language they speak.
"""

from ..tools import messages


def message_renderers(env):
    """{reason code: function(params) → message in ``env``'s language}."""
    return {
        # cleaners
        "date_format": lambda p: env._("'%(value)s' is not a date", **p),
        "date_range": lambda p: env._("%(value)s is not a plausible Excel date serial", **p),
        "date_invalid": lambda p: env._("'%(value)s' is not a calendar date", **p),
        "amount_format": lambda p: env._("'%(value)s' is not an amount", **p),
        "amount_not_positive": lambda p: env._("%(value)s must be greater than zero", **p),
        "quantity_format": lambda p: env._("'%(value)s' is not a quantity", **p),
        "quantity_not_positive": lambda p: env._("%(value)s must be greater than zero", **p),
        "integer_format": lambda p: env._("'%(value)s' is not a whole number", **p),
        "percent_format": lambda p: env._("'%(value)s' is not a percentage", **p),
        "percent_range": lambda p: env._("%(value)s is not between 0 and 100 %%", **p),
        "phone_format": lambda p: env._("'%(value)s' is not a mobile or landline number", **p),
        "credit_code_length": lambda p: env._("credit code '%(value)s' must have 18 characters, not %(length)s", **p),
        "credit_code_charset": lambda p: env._(
            "credit code '%(value)s' contains characters that are not allowed: %(characters)s", **p
        ),
        "credit_code_division": lambda p: env._(
            "credit code '%(value)s': characters 3 to 8 must be a 6-digit administrative division code", **p
        ),
        "credit_code_check": lambda p: env._(
            "credit code '%(value)s': the check character should be %(expected)s, not %(found)s", **p
        ),
        "email_format": lambda p: env._("'%(value)s' is not an e-mail address", **p),
        "contact_several": lambda p: env._("'%(value)s' holds more than one contact: one contact per row", **p),
        "contact_no_name": lambda p: env._("'%(value)s' has no contact name", **p),
        "contact_format": lambda p: env._("'%(value)s' is not a name followed by a phone number", **p),
        # row validator
        "value_unknown": lambda p: env._("'%(value)s' is not one of: %(allowed)s", **p),
        "required": lambda p: env._("a value is required", **p),
        "key_missing": lambda p: env._("the row has no key", **p),
        "key_duplicate": lambda p: env._("key %(key)s already on row %(row)s", **p),
        "total_mismatch": lambda p: env._(
            "the contract amount %(expected)s differs from the sum of its lines %(total)s", **p
        ),
        "contract_rejected": lambda p: env._("contract %(contract)s is not loaded", **p),
        "line_amount_mismatch": lambda p: env._("%(quantity)s × %(price)s = %(computed)s, not %(amount)s", **p),
        # loader
        "customer_unknown": lambda p: env._("no customer '%(value)s' loaded or in the database", **p),
        "contract_unknown": lambda p: env._("no contract '%(value)s' loaded or in the database", **p),
        "product_unknown": lambda p: env._("no product '%(value)s' in the database", **p),
        "user_unknown": lambda p: env._("no user '%(value)s' in the database", **p),
        "over_collected": lambda p: env._("collections of contract %(contract)s would exceed its collection plan", **p),
        "invoice_line_unmatched": lambda p: env._(
            "contract %(contract)s: no line to invoice (line no. '%(line)s', product '%(product)s')", **p
        ),
        "load_error": lambda p: env._("the row cannot be loaded: %(error)s", **p),
        # reconciliation (why a run fails)
        "accuracy_below": lambda p: env._("Field accuracy %(accuracy)s %% is below %(threshold)s %%.", **p),
        "money_differs": lambda p: env._("%(count)s money totals differ between source and database.", **p),
    }


def renderer(env):
    """``render(code, params)`` in ``env``'s language; an unknown code or parameters that do not fit
    the template fall back on ``tools.messages.render`` (English, or the code and its parameters)."""
    renderers = message_renderers(env)

    def render(code, params=None):
        function = renderers.get(code)
        if function is None:
            return messages.render(code, params)
        try:
            return function(dict(params or {}))
        except (KeyError, TypeError, ValueError):
            return messages.render(code, params)

    return render


def report_labels(env):
    """``tools.report.LABELS`` in ``env``'s language."""
    return {
        # reject workbook
        "file": env._("File"),
        "row": env._("Row"),
        "key": env._("Key"),
        "column": env._("Column"),
        "reason": env._("Reason"),
        "message": env._("Message"),
        "rejected_sheet": env._("Rejected"),
        "nothing_rejected": env._("Nothing was rejected"),
        # reconciliation report: sheets
        "summary_sheet": env._("Summary"),
        "sheets_sheet": env._("Sheets"),
        "fields_sheet": env._("Fields"),
        "money_customer_sheet": env._("Money by customer"),
        "money_contract_sheet": env._("Money by contract"),
        "differences_sheet": env._("Differences"),
        "merged_sheet": env._("Merged"),
        "review_sheet": env._("To review"),
        # reconciliation report: columns
        "item": env._("Item"),
        "value": env._("Value"),
        "sheet": env._("Sheet"),
        "source_rows": env._("Source rows"),
        "blank_rows": env._("Blank rows"),
        "loaded": env._("Loaded"),
        "created": env._("Created"),
        "updated": env._("Updated"),
        "merged": env._("Merged"),
        "to_review": env._("To review"),
        "rejected": env._("Rejected"),
        "field": env._("Field"),
        "compared": env._("Compared"),
        "equal": env._("Equal"),
        "accuracy": env._("Accuracy %"),
        "customer": env._("Customer"),
        "contract": env._("Contract"),
        "source": env._("Source"),
        "database": env._("Database"),
        "difference": env._("Difference"),
        "merged_onto": env._("Merged onto"),
        "found_in": env._("Found in"),
        "found_in_source": env._("Source workbooks"),
        "found_in_database": env._("Database"),
        "name": env._("Name"),
        "similar_customers": env._("Similar customers"),
    }
