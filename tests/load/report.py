"""Figures of Locust runs as one table, and the sums check of each run against its database.

    python3 tests/load/report.py --run wisdom=PREFIX,LEDGER.json,DB [--run vanilla=...] [--out FILE]

``PREFIX`` is Locust's ``--csv`` prefix (``PREFIX_stats.csv``), ``LEDGER.json`` what the simulated
users did (``LOAD_LEDGER`` of the locustfile), ``DB`` the database they worked in. The run named
``vanilla`` is the baseline of the ratio column. Exit code 1 when a run had failures or its sums
do not match; the speed goals (p95 ≤ 300 ms, ≤ 1.25 × vanilla) are shown, not enforced.
"""

import argparse
import csv
import json
import os
import sys
from pathlib import Path

GOAL_P95_MS = 300
GOAL_RATIO = 1.25


def read_stats(prefix, ledger=None):
    """{request name: row} of Locust's stats CSV, the aggregated row under ``Aggregated``; the final
    figures the locustfile wrote into the ledger when there (the CSV may lack the last second)."""
    if ledger and ledger.get("requests"):
        return ledger["requests"]
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _compare(label, recorded, found):
    """Checks of one kind of operation: ``recorded`` {reference: {"amount", "done"}} from the users,
    ``found`` {reference: amount} in the database."""
    done = {ref: row["amount"] for ref, row in recorded.items() if row["done"]}
    cut_off = {ref: row["amount"] for ref, row in recorded.items() if not row["done"]}
    done_found = {ref: found[ref] for ref in done if ref in found}
    stray = sorted(set(found) - set(recorded))
    wrong = [ref for ref in set(found) & set(recorded) if abs(found[ref] - recorded[ref]["amount"]) >= 0.005]
    return [
        (f"{label}", len(done), len(done_found), len(done) == len(done_found)),
        (
            f"{label}, amount",
            round(sum(done.values()), 2),
            round(sum(done_found.values()), 2),
            abs(sum(done.values()) - sum(done_found.values())) < 0.005,
        ),
        (f"{label} with another amount in the database", 0, len(wrong), not wrong),
        (f"{label} in the database that no user did", 0, len(stray), not stray),
        # requests the end of the run cut off: the server may have finished them or not
        (
            f"{label} cut off by the end of the run (in the database)",
            len(cut_off),
            len(set(cut_off) & set(found)),
            True,
        ),
    ]


def check_sums(execute, ledger):
    """Compare what the users did (ledger) with the database; ``execute(sql, params)`` returns rows.

    :return: list of (check, users did, database has, ok)
    """
    pattern = f"{ledger['tag']}-%"
    submitted = "review_submitted" if ledger["flavour"] == "wisdom" else "state = 'sale'"
    contracts = dict(
        execute(
            f"SELECT client_order_ref, amount_total FROM sale_order WHERE client_order_ref LIKE %s AND {submitted}",
            (pattern,),
        )
    )
    if ledger["flavour"] == "wisdom":
        collections = dict(
            execute(
                "SELECT p.memo, sum(a.amount) FROM wisdom_collection_allocation a JOIN account_payment p"
                " ON p.id = a.payment_id WHERE p.memo LIKE %s AND a.state = 'posted' GROUP BY p.memo",
                (pattern,),
            )
        )
    else:
        collections = dict(
            execute(
                "SELECT memo, amount FROM account_payment WHERE memo LIKE %s AND state IN ('in_process', 'paid')",
                (pattern,),
            )
        )
    checks = _compare("contracts submitted", ledger["contracts"], {k: float(v) for k, v in contracts.items()})
    checks += _compare("collections confirmed", ledger["collections"], {k: float(v) for k, v in collections.items()})
    if ledger["flavour"] == "wisdom" and ledger["plan_line_ids"]:
        # no lost update: each instalment's stored collected amount is the sum of its posted allocations
        [(wrong,)] = execute(
            "SELECT count(*) FROM wisdom_collection_plan_line line WHERE line.id = ANY(%s) AND"
            " abs(line.paid_amount - (SELECT COALESCE(sum(a.amount), 0) FROM wisdom_collection_allocation a"
            " WHERE a.plan_line_id = line.id AND a.state = 'posted')) >= 0.005",
            (ledger["plan_line_ids"],),
        )
        checks.append(("instalments whose collected amount ≠ their allocations", 0, wrong, wrong == 0))
    return checks


def _db_execute(db):
    import psycopg2  # noqa: PLC0415 - only when reading a live database

    connection = psycopg2.connect(
        dbname=db,
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=os.environ.get("PGPORT", "5432"),
        user=os.environ.get("PGUSER", "odoo"),
        password=os.environ.get("PGPASSWORD", "odoo"),
    )

    def execute(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return execute


def _ms(value):
    return "-" if value is None else f"{value:.0f}"


def render(runs, header=""):
    """The table: per request type each run's count, p50/p95/p99 (ms), failures; p95 ratio to vanilla."""
    names = []
    for run in runs:
        names += [name for name in run["stats"] if name != "Aggregated" and name not in names]
    baseline = next((run for run in runs if run["name"] == "vanilla"), None)
    lines = [header] if header else []
    columns = ["request"]
    for run in runs:
        columns += [f"{run['name']} n", "p50", "p95", "p99", "fail"]
    if baseline:
        columns += [f"p95 ÷ vanilla ({runs[0]['name']})", "goal"]
    rows = [columns]
    for name in sorted(names) + ["Aggregated"]:
        row = [name]
        for run in runs:
            stat = run["stats"].get(name)
            if not stat:
                row += ["-"] * 5
                continue
            row += [
                stat["Request Count"],
                _ms(_number(stat["50%"])),
                _ms(_number(stat["95%"])),
                _ms(_number(stat["99%"])),
                stat["Failure Count"],
            ]
        if baseline:
            first = runs[0]["stats"].get(name)
            base = baseline["stats"].get(name)
            p95 = _number(first["95%"]) if first else None
            ratio = p95 / _number(base["95%"]) if p95 is not None and base and _number(base["95%"]) else None
            row.append("-" if ratio is None else f"{ratio:.2f}")
            if p95 is None:
                row.append("-")
            else:
                good = p95 <= GOAL_P95_MS and (ratio is None or ratio <= GOAL_RATIO)
                row.append("ok" if good else "MISSED")
        rows.append(row)
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(columns))]
    for index, row in enumerate(rows):
        lines.append(
            "  ".join(
                str(cell).ljust(widths[i]) if i == 0 else str(cell).rjust(widths[i]) for i, cell in enumerate(row)
            )
        )
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    lines.append("")
    for run in runs:
        total = run["stats"]["Aggregated"]
        lines.append(
            f"{run['name']}: {total['Request Count']} requests, {float(total['Requests/s']):.1f} requests/s,"
            f" {total['Failure Count']} errors (HTTP 5xx or JSON-RPC error responses);"
            f" conflicts refused as designed: {sum(run['ledger']['conflicts'].values())}"
            f" {run['ledger']['conflicts'] or ''}; tasks done: {sum(run['ledger']['tasks'].values())}"
        )
        rows = run["ledger"].get("customer_list_rows") or {}
        if rows:
            lines.append(
                f"  customer list rows per login: {min(rows.values())}–{max(rows.values())} ({len(rows)} logins)"
            )
        for check, did, found, ok in run["checks"]:
            lines.append(f"  sums {check}: users {did}, database {found} — {'ok' if ok else 'MISMATCH'}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="append", required=True, help="name=csv prefix,ledger.json,database")
    parser.add_argument("--out", help="also write the table to this file")
    parser.add_argument("--header", default="")
    args = parser.parse_args()
    runs = []
    for spec in args.run:
        name, __, rest = spec.partition("=")
        prefix, ledger_path, db = rest.split(",")
        ledger = json.loads(Path(ledger_path).read_text(encoding="utf-8"))
        runs.append(
            {
                "name": name,
                "stats": read_stats(prefix, ledger),
                "ledger": ledger,
                "checks": check_sums(_db_execute(db), ledger),
            }
        )
    text = render(runs, args.header)
    print(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"\nwritten to {args.out}")
    failed = any(int(run["stats"]["Aggregated"]["Failure Count"]) for run in runs)
    mismatch = any(not ok for run in runs for *__, ok in run["checks"])
    return 1 if failed or mismatch else 0


if __name__ == "__main__":
    sys.exit(main())
