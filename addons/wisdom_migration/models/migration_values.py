"""Small helpers the migration loader's parts share: external-id names, the row error, values as the
ORM takes them and the values that differ from a record's."""

import re
from decimal import Decimal

from ..tools import reconcile
from ..tools.messages import Problem


def xmlid_name(sheet, key):
    return f"{sheet}_{re.sub(r'[^0-9A-Za-z_-]', '_', str(key))}"


class RowError(Exception):
    """A row that cannot be loaded: ``column`` (header title), reason code (``tools.messages``) and the
    message's parameters; ``str()`` of the error is the English message."""

    def __init__(self, column, reason, params=None):
        self.problem = Problem(reason, {name: str(value) for name, value in (params or {}).items()})
        super().__init__(self.problem.message)
        self.column = column
        self.reason = reason
        self.params = self.problem.params


def orm_value(value):
    if isinstance(value, Decimal):
        return float(value)
    return False if value is None else value


def changed_values(record, vals):
    """The values of ``vals`` that differ from the record's."""
    changed = {}
    for name, value in vals.items():
        field = record._fields.get(name)
        if field is None or field.type in ("one2many", "many2many"):
            continue
        current = record[name]
        if field.type == "many2one":
            current = current.id
        kind = {"monetary": "money", "float": "number", "integer": "number", "date": "date", "boolean": "boolean"}.get(
            field.type, "char"
        )
        if not reconcile.equal(value if value is not False else None, current, kind):
            changed[name] = value
    return changed
