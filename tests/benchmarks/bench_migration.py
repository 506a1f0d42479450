"""Data migration throughput: load a generated historical sample set and reconcile it (prints, does not assert).

    nice -n 10 python3 tests/benchmarks/bench_migration.py --db <db> [--rows 100000] [--rerun] [--keep]

Generates the sample workbooks (addons/wisdom_migration/tools/samples.py, about 14 source rows per
customer) for --rows source rows, loads them with the shipped mapping exactly as a run does
(batches in savepoints, dedup, external ids, then the field-level reconciliation), prints rows per
second, the time of each step and the report's figures. With --rerun the same set is loaded a second
time (the re-run path: nothing new, nothing changed). Everything is rolled back unless --keep.
"""

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROWS_PER_CUSTOMER = 14.3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--conf", default=str(ROOT / "odoo.conf"))
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--rerun", action="store_true")
    parser.add_argument("--keep", action="store_true", help="commit the loaded data")
    args = parser.parse_args()

    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db, "--log-level=warn"])
    registry = Registry(args.db)
    from odoo.addons.wisdom_migration.models.migration_loader import Loader
    from odoo.addons.wisdom_migration.models.wisdom_migration_run import DEFAULT_MAPPING
    from odoo.addons.wisdom_migration.tools import mapping, samples

    started = time.perf_counter()
    files, __ = samples.generate(customers=max(1, round(args.rows / ROWS_PER_CUSTOMER)), seed=100)
    print(
        f"sample set generated in {time.perf_counter() - started:.1f} s "
        f"({sum(len(c) for c in files.values()) / 1e6:.1f} MB in {len(files)} workbooks)",
        flush=True,
    )

    clock = [time.perf_counter()]

    def step(fraction, message):
        now = time.perf_counter()
        print(f"  {fraction * 100:5.1f} % {message} (+{now - clock[0]:.1f} s)", flush=True)
        clock[0] = now

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "zh_CN"})
        env["tier.definition"].search([("model", "=", "sale.order")]).active = False
        rounds = ["first load", "re-run"] if args.rerun else ["first load"]
        for label in rounds:
            sheets = mapping.load(DEFAULT_MAPPING.read_bytes(), DEFAULT_MAPPING.name)
            started = time.perf_counter()
            loader = Loader(env, sheets, files, progress=step).run()
            elapsed = time.perf_counter() - started
            rows = sum(t.source_rows for t in loader.tally.values())
            print(f"{label}: {rows} source rows in {elapsed:.1f} s = {rows / elapsed:.0f} rows/s")
            for tally in loader.tally.values():
                print(
                    f"  {tally.sheet:<18} source {tally.source_rows:>6} loaded {tally.loaded:>6} created "
                    f"{tally.created:>6} updated {tally.updated:>5} merged {tally.merged:>4} review "
                    f"{tally.flagged:>4} rejected {tally.rejected:>4}"
                )
            result = loader.reconciliation
            print(
                f"  reconciliation: {result.compared} fields compared, {result.equal_count} equal, accuracy "
                f"{result.accuracy} %, {len(result.money)} money totals, {result.money_difference_count} differ, "
                f"verdict: {'; '.join(result.failures()) or 'passed'}",
                flush=True,
            )
        if args.keep:
            cr.commit()
        else:
            cr.rollback()


if __name__ == "__main__":
    main()
