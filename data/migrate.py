"""Load the customer's historical workbooks into a Wisdom CRM database and reconcile them (MIG-01/02).

    python3 -m data.migrate --db DB --source DIR --mapping FILE [--dry-run] [--out DIR] [--conf odoo.conf]

Reads every .xls/.xlsx in DIR (and the workbooks inside any .zip there), loads them with the
mapping (YAML or JSON; data/migration/mapping.yaml documents the format), then reads every loaded
field back and writes reconciliation_<time>.xlsx and rejected_<time>.xlsx to --out (default:
DIR/results). The run is recorded under Configuration › Data Migration › Runs. Exit status 0 when
the run passes (accuracy ≥ 99.9 %, no money difference), 1 when it fails, 2 on unusable input.
With --dry-run everything is rolled back at the end; the report still tells what would happen.
"""

import argparse
import base64
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_source(directory):
    from odoo.addons.wisdom_migration.tools import workbook

    files = {}
    for path in sorted(Path(directory).iterdir()):
        if path.suffix.lower() in (".xls", ".xlsx", ".zip") and not path.name.startswith(("~$", ".")):
            files.update(workbook.source_files(path.read_bytes(), path.name))
    if not files:
        raise SystemExit(f"No .xls, .xlsx or .zip in {directory}")
    return files


def print_summary(run, loader):
    print(
        f"{'sheet':<18}{'source':>8}{'blank':>7}{'loaded':>8}{'created':>9}{'updated':>9}{'merged':>8}"
        f"{'review':>8}{'rejected':>9}"
    )
    for tally in loader.tally.values():
        print(
            f"{tally.sheet:<18}{tally.source_rows:>8}{tally.blank_rows:>7}{tally.loaded:>8}{tally.created:>9}"
            f"{tally.updated:>9}{tally.merged:>8}{tally.flagged:>8}{tally.rejected:>9}"
        )
    result = loader.reconciliation
    print(
        f"fields compared {result.compared}, equal {result.equal_count}, accuracy {result.accuracy} %, "
        f"money totals compared {len(result.money)}, differing {result.money_difference_count}"
    )
    for note in loader.notes:
        print(f"note: {note}")
    print(f"run {run.name}: {run.state}" + (f" — {run.failure_reasons}" if run.failure_reasons else ""))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--source", required=True, help="folder holding the workbooks (.xls, .xlsx, .zip)")
    parser.add_argument("--mapping", required=True, help="mapping file (.yaml or .json)")
    parser.add_argument("--dry-run", action="store_true", help="roll everything back at the end")
    parser.add_argument("--out", help="where the report and the rejected rows go (default: SOURCE/results)")
    parser.add_argument("--conf", default=str(ROOT / "odoo.conf"))
    args = parser.parse_args(argv)

    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db])
    from odoo.addons.wisdom_migration.tools import mapping, workbook

    try:
        files = read_source(args.source)
    except workbook.WorkbookError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2
    mapping_path = Path(args.mapping)
    out = Path(args.out or Path(args.source) / "results")
    registry = Registry(args.db)
    started = time.perf_counter()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "zh_CN"})
        env = env(context=dict(env.context, allowed_company_ids=env.ref("base.user_admin").company_ids.ids[:1]))
        try:
            run, loader = env["wisdom.migration.run"]._wisdom_run_files(
                files,
                mapping_path.read_bytes(),
                mapping_path.name,
                dry_run=args.dry_run,
                name=f"CLI {mapping_path.name} {time.strftime('%Y-%m-%d %H:%M')}",
            )
        except (mapping.MappingError, workbook.WorkbookError) as error:
            print(f"ERROR: {error}", file=sys.stderr)
            return 2
        out.mkdir(parents=True, exist_ok=True)
        for field, name in (("report_file", "report_filename"), ("reject_file", "reject_filename")):
            (out / run[name]).write_bytes(base64.b64decode(run[field]))
        elapsed = time.perf_counter() - started
        rows = sum(t.source_rows for t in loader.tally.values())
        print_summary(run, loader)
        print(f"{rows} source rows in {elapsed:.1f} s ({rows / elapsed:.0f} rows/s); results in {out}")
        passed = run.state == "passed"
        if args.dry_run:
            cr.rollback()
            print("dry run: nothing was kept")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
