#!/usr/bin/env python3
"""Restore drill (NFR-04): back up a database the way the weekly job does, restore it, compare.

    python3 scripts/restore_drill.py --db wisdom_test [--target wisdom_test_restored] [--keep]
                                     [--conf odoo.conf] [--odoo-option ...]

1. Backs up ``--db`` with the suite's OCA ``auto_backup`` configuration (a copy of the record
   ``wisdom_crm_base.db_backup_local`` pointed at a temporary folder; the copy is rolled back).
2. Restores the zip into ``--target`` with ``scripts/wisdom.sh restore`` (what an administrator runs).
3. Prints counts and sums of customers, contracts, collection plan lines, payments, contract amounts,
   collected amounts and attachment files for both databases, and exits 1 if any differ.
The target database is dropped afterwards unless ``--keep``. Database connection settings come from
the Odoo configuration file and the options after ``--odoo-option`` (e.g. ``--db_host=127.0.0.1``).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# label, SQL (one row, one value). Amounts are summed in SQL numeric and printed to the fen.
FIGURES = [
    ("customers", "SELECT count(*) FROM res_partner WHERE wisdom_customer"),
    ("contacts and companies", "SELECT count(*) FROM res_partner"),
    ("contracts", "SELECT count(*) FROM sale_order"),
    ("signed contract amount", "SELECT coalesce(sum(amount_total), 0) FROM sale_order WHERE state = 'sale'"),
    ("collection plan lines", "SELECT count(*) FROM wisdom_collection_plan_line"),
    ("collection plan amount", "SELECT coalesce(sum(amount), 0) FROM wisdom_collection_plan_line"),
    ("payments", "SELECT count(*) FROM account_payment"),
    (
        "collected (posted allocations)",
        "SELECT coalesce(sum(amount), 0) FROM wisdom_collection_allocation WHERE state = 'posted'",
    ),
    ("journal items", "SELECT count(*) FROM account_move_line"),
    ("attachments stored in files", "SELECT count(*) FROM ir_attachment WHERE store_fname IS NOT NULL"),
]


def odoo_setup(conf, db, options):
    import odoo
    import odoo.api
    import odoo.modules.registry
    import odoo.service.db
    import odoo.tools

    odoo.tools.config.parse_config(["-c", str(conf), "-d", db, *options])
    return odoo


def figures(odoo, db):
    from odoo.sql_db import db_connect

    with db_connect(db).cursor() as cr:
        values = {}
        for label, query in FIGURES:
            cr.execute(query)
            values[label] = cr.fetchone()[0]
        cr.execute("SELECT store_fname FROM ir_attachment WHERE store_fname IS NOT NULL")
        filestore = Path(odoo.tools.config.filestore(db))
        values["attachment files present"] = sum(1 for (name,) in cr.fetchall() if (filestore / name).is_file())
    return values


def backup(odoo, db, folder):
    """Run the suite's backup configuration once into ``folder``; return the zip's path."""
    from odoo.modules.registry import Registry

    registry = Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        config = env.ref("wisdom_crm_base.db_backup_local")
        drill = config.copy({"folder": folder, "wisdom_keep_copies": 1})
        drill.action_backup()
        failed = drill.activity_ids
        cr.rollback()
    zips = sorted(Path(folder).glob("*.dump.zip"))
    if failed or len(zips) != 1:
        sys.exit(f"Backup of {db} failed (see the server log): {zips}")
    return zips[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--target")
    parser.add_argument("--keep", action="store_true", help="keep the restored database")
    parser.add_argument("--conf", default=os.environ.get("ODOO_CONF", str(ROOT / "odoo.conf")))
    parser.add_argument("--odoo-option", action="append", default=[], help="extra Odoo option, repeatable")
    args = parser.parse_args()
    target = args.target or f"{args.db}_restored"
    odoo = odoo_setup(args.conf, args.db, args.odoo_option)

    from odoo.service.db import exp_db_exist, exp_drop

    if exp_db_exist(target):
        if args.target:
            sys.exit(f"Database {target} exists already: name another --target (it is never dropped)")
        exp_drop(target)  # the drill's own scratch database, left by an interrupted run
    folder = tempfile.mkdtemp(prefix="wisdom-drill-")
    try:
        archive = backup(odoo, args.db, folder)
        print(f"Backup: {archive.name} ({archive.stat().st_size / 1e6:.1f} MB)")
        subprocess.run(["bash", str(ROOT / "scripts" / "wisdom.sh"), "restore", str(archive), target], check=True)
        before, after = figures(odoo, args.db), figures(odoo, target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if not args.keep:
            exp_drop(target)

    width = max(len(label) for label in before)
    print(f"{'figure':<{width}}  {args.db:>22}  {target:>22}")
    differ = []
    for label, value in before.items():
        mark = "" if value == after[label] else "  <-- differs"
        print(f"{label:<{width}}  {value!s:>22}  {after[label]!s:>22}{mark}")
        if mark:
            differ.append(label)
    if differ:
        print(f"Restore drill FAILED: {', '.join(differ)} differ", file=sys.stderr)
        return 1
    print("Restore drill passed: every count and sum is equal.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
