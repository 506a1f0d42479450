"""The workbooks a migration run hands back: the reconciliation report and the rejected rows."""

from . import workbook


def reject_sheets(sheets, rows_by_sheet):
    """One sheet per source sheet: file, row, key, the source cells, then one line per refused cell
    with its reason."""
    result = []
    for sheet in sheets:
        rows = [row for row in rows_by_sheet.get(sheet.name, []) if not row.ok]
        if not rows:
            continue
        header = ["File", "Row", "Key", *[column.title for column in sheet.columns], "Column", "Reason", "Message"]
        lines = []
        for row in rows:
            cells = [row.raw.get(column.to) for column in sheet.columns]
            for column, (reason, message) in row.errors.items():
                lines.append([getattr(row, "file", ""), row.row_number, row.key, *cells, column, reason, message])
        result.append((sheet.name, header, lines))
    return result


def rejects_xlsx(sheets, rows_by_sheet):
    return workbook.write_xlsx(reject_sheets(sheets, rows_by_sheet) or [("rejected", ["Nothing was rejected"], [])])


def report_xlsx(summary, tallies, reconciliation, labels, merges, review):
    """``summary``: [(label, value)]; ``labels``: {("customer"|"contract", id): display name}."""
    money = [
        (level, labels.get((level, group), group), measure, source, stored, difference)
        for level, group, measure, source, stored, difference in reconciliation.money_rows()
    ]
    return workbook.write_xlsx(
        [
            ("Summary", ["Item", "Value"], summary),
            (
                "Sheets",
                [
                    "Sheet",
                    "Source rows",
                    "Blank rows",
                    "Loaded",
                    "Created",
                    "Updated",
                    "Merged",
                    "To review",
                    "Rejected",
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
                "Fields",
                ["Sheet", "Field", "Compared", "Equal", "Accuracy %"],
                [[t.sheet, t.field, t.compared, t.equal, t.accuracy] for t in reconciliation.fields.values()],
            ),
            (
                "Money by customer",
                ["Customer", "Sheet", "Source", "Database", "Difference"],
                [row[1:] for row in money if row[0] == "customer"],
            ),
            (
                "Money by contract",
                ["Contract", "Sheet", "Source", "Database", "Difference"],
                [row[1:] for row in money if row[0] == "contract"],
            ),
            (
                "Differences",
                ["Sheet", "Key", "Field", "Source", "Database"],
                [list(item) for item in reconciliation.mismatches],
            ),
            ("Merged", ["Sheet", "Key", "Merged onto", "Found in"], [list(item) for item in merges]),
            (
                "To review",
                ["Key", "Name", "Similar customers"],
                [
                    [key, name, "; ".join(f"{n} ({round(score * 100)} %)" for __, n, score, __r in similar)]
                    for key, name, similar in review
                ],
            ),
        ]
    )
