"""Mapping of source sheets onto Odoo models, as configuration (YAML or JSON), and the row validator.

A mapping file lists sheets in load order; each names its model, where its rows come from (a
workbook file pattern and a sheet), the row key and its columns. A column says which header
titles it may carry in the workbook, the cleaners to apply, and where the value goes (``to``): a
field of the model, or a reference resolved by the loader (``lookup``). Pure Python: rows in,
``MappedRow`` out, every problem with a reason per cell (a ``messages.Problem``: code and parameters).
"""

import fnmatch
import json
import re
from dataclasses import dataclass, field

from .cleaners import CLEANERS, CleanError, text
from .messages import Problem

LOOKUPS = ("customer", "contract", "product", "user", "category")
SHEET_KINDS = ("customers", "contacts", "contracts", "contract_lines", "collection_plans", "collections", "invoices")
HEADER_SCAN_ROWS = 10


class MappingError(ValueError):
    """The mapping file itself is wrong (unknown cleaner, missing key column…)."""


@dataclass
class Column:
    titles: tuple
    to: str
    cleaners: tuple = ("text",)
    required: bool = False
    values: dict = field(default_factory=dict)  # source label → stored value (selections)
    lookup: str = ""
    money: bool = False
    check: bool = False  # compared in the reconciliation, not written (totals the database computes)
    note: str = ""  # what the column is for, written into the column's template

    @property
    def title(self):
        return self.titles[0]


@dataclass
class SheetMapping:
    name: str
    kind: str
    model: str
    file: str
    sheet: object
    key: tuple
    columns: list
    defaults: dict = field(default_factory=dict)

    def column_for(self, target):
        return next((column for column in self.columns if column.to == target), None)

    def matches_file(self, filename):
        return fnmatch.fnmatch(filename.lower(), self.file.lower())

    # HEADER

    def find_header(self, rows):
        """Index of the header row among the first rows (title rows merged across the sheet come
        first in the customer's workbooks) and, per column, the index of its cell.

        :raise MappingError: when no row carries the titles of every required column
        """
        wanted = [column for column in self.columns if column.required]
        for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            titles = [_title_key(cell) for cell in row]
            positions = {}
            for column in self.columns:
                keys = [_title_key(title) for title in column.titles]
                position = next((i for i, title in enumerate(titles) if title in keys), None)
                if position is not None:
                    positions[column.to] = position
            if wanted and all(column.to in positions for column in wanted):
                return index, positions
        raise MappingError(
            f"sheet {self.name}: no header row with the columns "
            + ", ".join(column.title for column in wanted)
            + f" in the first {HEADER_SCAN_ROWS} rows"
        )

    # ROWS

    def map_row(self, row_number, cells, positions):
        """Clean one source row; blank rows give ``None``."""
        raw = {
            column.to: cells[positions[column.to]] if positions.get(column.to, len(cells)) < len(cells) else None
            for column in self.columns
        }
        if all(text(value) is None for value in raw.values()):
            return None
        result = MappedRow(self.name, row_number, raw=raw)
        for column in self.columns:
            try:
                result.values[column.to] = clean_value(column, raw[column.to])
            except CleanError as error:
                result.errors[column.title] = error.problem
                continue
            if column.required and result.values[column.to] in (None, ""):
                result.errors[column.title] = Problem("required")
        result.key = "_".join(str(result.values.get(part) or "") for part in self.key)
        if not all(result.values.get(part) not in (None, "") for part in self.key):
            result.errors.setdefault(self.column_for(self.key[0]).title, Problem("key_missing"))
        return result


@dataclass
class MappedRow:
    sheet: str
    row_number: int
    raw: dict
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)  # column title → Problem(reason, params)
    key: str = ""

    @property
    def ok(self):
        return not self.errors

    def reject(self, column_title, reason, params=None):
        """Refuse the row for ``reason`` (a code of ``messages.MESSAGES``) in that column, unless the
        column is refused already; ``params``: the message's parameters (turned into text)."""
        self.errors.setdefault(
            column_title, Problem(reason, {name: str(value) for name, value in (params or {}).items()})
        )


def clean_value(column, value):
    for name in column.cleaners:
        value = CLEANERS[name](value)
    if column.values and value is not None:
        labels = {_title_key(label): stored for label, stored in column.values.items()}
        stored = labels.get(_title_key(value))
        if stored is None:
            raise CleanError("value_unknown", {"value": value, "allowed": ", ".join(column.values)})
        value = stored
    return value


def _title_key(value):
    cleaned = text(value)
    return re.sub(r"[\s*：:]", "", cleaned).lower() if cleaned else ""


# LOADING THE MAPPING FILE


def load(content, filename="mapping.yaml"):
    """Parse a mapping file (YAML, or JSON when it is named .json) into a list of ``SheetMapping``."""
    if isinstance(content, bytes):
        content = content.decode("utf-8-sig")
    try:
        if filename.lower().endswith(".json"):
            data = json.loads(content)
        else:
            import yaml

            data = yaml.safe_load(content)
    except ValueError as error:  # json.JSONDecodeError and yaml.YAMLError are ValueErrors or wrapped below
        raise MappingError(f"{filename} cannot be read: {error}") from error
    except Exception as error:  # yaml.YAMLError does not derive from ValueError
        if type(error).__module__.startswith("yaml"):
            raise MappingError(f"{filename} cannot be read: {error}") from error
        raise
    return from_dict(data)


def from_dict(data):
    if not isinstance(data, dict) or not isinstance(data.get("sheets"), list) or not data["sheets"]:
        raise MappingError("the mapping needs a non-empty list 'sheets'")
    sheets, names = [], set()
    for entry in data["sheets"]:
        sheet = _sheet(entry)
        if sheet.name in names:
            raise MappingError(f"sheet {sheet.name} is mapped twice")
        names.add(sheet.name)
        sheets.append(sheet)
    return sheets


def _sheet(entry):
    for required in ("name", "kind", "model", "file", "key", "columns"):
        if not entry.get(required):
            raise MappingError(f"a sheet lacks '{required}': {entry.get('name') or entry}")
    name = entry["name"]
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise MappingError(f"sheet name {name!r}: lower-case letters, digits and _ only (it is part of external ids)")
    if entry["kind"] not in SHEET_KINDS:
        raise MappingError(f"sheet {name}: kind {entry['kind']!r} is not one of {', '.join(SHEET_KINDS)}")
    columns = [_column(name, item) for item in entry["columns"]]
    key = tuple(entry["key"]) if isinstance(entry["key"], list) else (entry["key"],)
    targets = {column.to for column in columns}
    if missing := [part for part in key if part not in targets]:
        raise MappingError(f"sheet {name}: key {', '.join(missing)} is no column")
    return SheetMapping(
        name=name,
        kind=entry["kind"],
        model=entry["model"],
        file=entry["file"],
        sheet=entry.get("sheet", 0),
        key=key,
        columns=columns,
        defaults=entry.get("defaults") or {},
    )


def _column(sheet, item):
    titles = item.get("column")
    if not titles or not item.get("to"):
        raise MappingError(f"sheet {sheet}: every column needs 'column' (header title) and 'to'")
    cleaners = item.get("clean") or ["text"]
    cleaners = [cleaners] if isinstance(cleaners, str) else cleaners
    if unknown := [name for name in cleaners if name not in CLEANERS]:
        raise MappingError(f"sheet {sheet}: unknown cleaner {', '.join(unknown)} (known: {', '.join(CLEANERS)})")
    if item.get("lookup") and item["lookup"] not in LOOKUPS:
        raise MappingError(f"sheet {sheet}: unknown lookup {item['lookup']} (known: {', '.join(LOOKUPS)})")
    return Column(
        titles=tuple(titles) if isinstance(titles, list) else (titles,),
        to=item["to"],
        cleaners=tuple(cleaners),
        required=bool(item.get("required")),
        values={str(k): v for k, v in (item.get("values") or {}).items()},
        lookup=item.get("lookup") or "",
        money=bool(item.get("money")),
        check=bool(item.get("check")),
        note=str(item.get("note") or ""),
    )


# VALIDATION ACROSS ROWS


def reject_duplicate_keys(rows, sheet):
    """The second row with a key already seen is refused (customers are merged by the loader instead)."""
    seen = {}
    for row in rows:
        if not row.ok:
            continue
        if row.key in seen:
            row.reject(sheet.column_for(sheet.key[0]).title, "key_duplicate", {"key": row.key, "row": seen[row.key]})
        else:
            seen[row.key] = row.row_number


def check_contract_totals(
    contract_sheet,
    contracts,
    line_sheet,
    lines,
    amount_to="amount_total",
    line_amount_to="price_subtotal",
    contract_ref="order_id",
):
    """A contract whose header amount differs from the sum of its accepted lines is refused with its
    lines: loading it would change the customer's money. Returns the refused contract keys."""
    sums = {}
    for line in lines:
        if line.ok:
            sums.setdefault(line.values.get(contract_ref), []).append(line.values.get(line_amount_to) or 0)
    refused = {contract.key for contract in contracts if not contract.ok}
    amount_title = contract_sheet.column_for(amount_to).title
    for contract in contracts:
        if not contract.ok:
            continue
        total = sum(sums.get(contract.key, []))
        expected = contract.values.get(amount_to)
        if expected is not None and total != expected:
            contract.reject(
                amount_title,
                "total_mismatch",
                {"expected": expected, "total": total},
            )
            refused.add(contract.key)
    ref_title = line_sheet.column_for(contract_ref).title
    for line in lines:
        if line.ok and line.values.get(contract_ref) in refused:
            line.reject(ref_title, "contract_rejected", {"contract": line.values.get(contract_ref)})
    return refused


def check_line_amounts(line_sheet, lines, qty_to="product_uom_qty", price_to="price_unit", amount_to="price_subtotal"):
    """Quantity × unit price must give the line amount (to the fen)."""
    from decimal import ROUND_HALF_UP, Decimal

    title = line_sheet.column_for(amount_to).title
    for line in lines:
        qty, price, total = (line.values.get(name) for name in (qty_to, price_to, amount_to))
        if line.ok and None not in (qty, price, total):
            computed = (Decimal(qty) * Decimal(price)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if computed != total:
                line.reject(
                    title,
                    "line_amount_mismatch",
                    {"quantity": qty, "price": price, "computed": computed, "amount": total},
                )
