"""The workbooks a migration run hands back: the reconciliation report and the rejected rows.

Titles and headers come from ``labels`` ({key: text}, English ``LABELS`` by default; the run model
passes them worded in the user's language), refusal messages from ``render(code, params)``
(English ``messages.render`` by default)."""

from . import messages, workbook

LABELS = {
    # reject workbook
    "file": "File",
    "row": "Row",
    "key": "Key",
    "column": "Column",
    "reason": "Reason",
    "message": "Message",
    "rejected_sheet": "Rejected",
    "nothing_rejected": "Nothing was rejected",
    # reconciliation report: sheets
    "summary_sheet": "Summary",
    "sheets_sheet": "Sheets",
    "fields_sheet": "Fields",
    "money_customer_sheet": "Money by customer",
    "money_contract_sheet": "Money by contract",
    "differences_sheet": "Differences",
    "merged_sheet": "Merged",
    "review_sheet": "To review",
    # reconciliation report: columns
    "item": "Item",
    "value": "Value",
    "sheet": "Sheet",
    "source_rows": "Source rows",
    "blank_rows": "Blank rows",
    "loaded": "Loaded",
    "created": "Created",
    "updated": "Updated",
    "merged": "Merged",
    "to_review": "To review",
    "rejected": "Rejected",
    "field": "Field",
    "compared": "Compared",
    "equal": "Equal",
    "accuracy": "Accuracy %",
    "customer": "Customer",
    "contract": "Contract",
    "source": "Source",
    "database": "Database",
    "difference": "Difference",
    "merged_onto": "Merged onto",
    "found_in": "Found in",
    "found_in_source": "Source workbooks",
    "found_in_database": "Database",
    "name": "Name",
    "similar_customers": "Similar customers",
}


def _labels(labels):
    return {**LABELS, **(labels or {})}


def reject_sheets(sheets, rows_by_sheet, labels=None, render=messages.render):
    """One sheet per source sheet: file, row, key, the source cells, then one line per refused cell
    with its reason code and message."""
    text = _labels(labels)
    result = []
    for sheet in sheets:
        rows = [row for row in rows_by_sheet.get(sheet.name, []) if not row.ok]
        if not rows:
            continue
        header = [
            text["file"],
            text["row"],
            text["key"],
            *[column.title for column in sheet.columns],
            text["column"],
            text["reason"],
            text["message"],
        ]
        lines = []
        for row in rows:
            cells = [row.raw.get(column.to) for column in sheet.columns]
            for column, (reason, params) in row.errors.items():
                lines.append(
                    [getattr(row, "file", ""), row.row_number, row.key, *cells, column, reason, render(reason, params)]
                )
        result.append((sheet.name, header, lines))
    return result


def rejects_xlsx(sheets, rows_by_sheet, labels=None, render=messages.render):
    text = _labels(labels)
    return workbook.write_xlsx(
        reject_sheets(sheets, rows_by_sheet, labels, render)
        or [(text["rejected_sheet"], [text["nothing_rejected"]], [])]
    )


def report_xlsx(summary, tallies, reconciliation, names, merges, review, labels=None):
    """``summary``: [(label, value)]; ``names``: {("customer"|"contract", id): display name}."""
    text = _labels(labels)
    money = [
        (level, names.get((level, group), group), measure, source, stored, difference)
        for level, group, measure, source, stored, difference in reconciliation.money_rows()
    ]
    found_in = {"source": text["found_in_source"], "database": text["found_in_database"]}
    return workbook.write_xlsx(
        [
            (text["summary_sheet"], [text["item"], text["value"]], summary),
            (
                text["sheets_sheet"],
                [
                    text["sheet"],
                    text["source_rows"],
                    text["blank_rows"],
                    text["loaded"],
                    text["created"],
                    text["updated"],
                    text["merged"],
                    text["to_review"],
                    text["rejected"],
                ],
                [
                    [
                        t.sheet,
                        t.source_rows,
                        t.blank_rows,
                        t.loaded,
                        t.created,
                        t.updated,
                        t.merged,
                        t.flagged,
                        t.rejected,
                    ]
                    for t in tallies
                ],
            ),
            (
                text["fields_sheet"],
                [text["sheet"], text["field"], text["compared"], text["equal"], text["accuracy"]],
                [[t.sheet, t.field, t.compared, t.equal, t.accuracy] for t in reconciliation.fields.values()],
            ),
            (
                text["money_customer_sheet"],
                [text["customer"], text["sheet"], text["source"], text["database"], text["difference"]],
                [row[1:] for row in money if row[0] == "customer"],
            ),
            (
                text["money_contract_sheet"],
                [text["contract"], text["sheet"], text["source"], text["database"], text["difference"]],
                [row[1:] for row in money if row[0] == "contract"],
            ),
            (
                text["differences_sheet"],
                [text["sheet"], text["key"], text["field"], text["source"], text["database"]],
                [list(item) for item in reconciliation.mismatches],
            ),
            (
                text["merged_sheet"],
                [text["sheet"], text["key"], text["merged_onto"], text["found_in"]],
                [[sheet, key, onto, found_in.get(how, how)] for sheet, key, onto, how in merges],
            ),
            (
                text["review_sheet"],
                [text["key"], text["name"], text["similar_customers"]],
                [
                    [key, name, "; ".join(f"{n} ({round(score * 100)} %)" for __, n, score, __r in similar)]
                    for key, name, similar in review
                ],
            ),
        ]
    )
