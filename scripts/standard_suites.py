#!/usr/bin/env python3
"""Run Odoo's own test suites (crm, sale by default) on a database where Wisdom CRM is installed and
fail only on failures that vanilla Odoo 19 does not have on this machine too.

    python3 scripts/standard_suites.py --db wisdom_std [--modules crm,sale] [--known FILE]
                                       [--odoo-config odoo.conf] [--odoo-extra KEY=VALUE ...]

The customer requires the standard features to keep working with the suite installed. The tests run
with pytest-odoo (every test against the installed registry, so the suite's record rules apply),
their output goes to ``<log>``; this script prints one summary line and the test ids that fail beyond
the known list. ``tests/standard/known_failures.txt`` names the tests that fail on a vanilla Odoo 19
database on this machine as well, each with the reason (phone and HTML library versions).
"""

import argparse
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def known_failures(path):
    known = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            test_id, _, reason = line.partition(" # ")
            known[test_id.strip()] = reason.strip()
    return known


def results(junit):
    passed, failed, skipped = [], [], []
    for case in ET.parse(junit).getroot().iter("testcase"):
        test_id = f"{case.get('classname')}.{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(test_id)
        elif case.find("skipped") is not None:
            skipped.append(test_id)
        else:
            passed.append(test_id)
    return passed, failed, skipped


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--modules", default="crm,sale")
    parser.add_argument("--known", default=str(ROOT / "tests" / "standard" / "known_failures.txt"))
    parser.add_argument("--odoo-config", default=str(ROOT / "odoo.conf"))
    parser.add_argument("--odoo-extra", action="append", default=[])
    parser.add_argument("--log", default=str(ROOT / ".odoo-data" / "logs" / "standard-suites.log"))
    args = parser.parse_args()

    import odoo.addons

    paths = []
    for module in args.modules.split(","):
        tests = next(
            (
                Path(base) / module / "tests"
                for base in odoo.addons.__path__
                if (Path(base) / module / "tests").is_dir()
            ),
            None,
        )
        if tests is None:
            sys.exit(f"Odoo module {module} has no tests directory in {odoo.addons.__path__}")
        paths.append(str(tests))

    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        # --noconftest: this repository's conftest.py belongs to the suite's own tests. The command runs
        # from the repository root so that relative paths of the Odoo configuration (addons_path) hold.
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--noconftest",
            "-q",
            f"--junitxml={junit}",
            f"--odoo-config={args.odoo_config}",
            f"--odoo-database={args.db}",
            "--odoo-http",
            "--odoo-log-level=critical",
            # Only this database: HTTP requests of the tours must not land in another one that
            # matches the configuration's dbfilter (e.g. the suite's own test database).
            f"--odoo-extra=db-filter=^{args.db}$",
            *(f"--odoo-extra={extra}" for extra in args.odoo_extra),
            *paths,
        ]
        Path(args.log).parent.mkdir(parents=True, exist_ok=True)
        with open(args.log, "w", encoding="utf-8") as log:
            subprocess.run(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=False)
        if not junit.exists():
            print(f"Standard suites did not run; see {args.log}", file=sys.stderr)
            return 1
        passed, failed, skipped = results(junit)

    # only the known failures of the suites that ran (e.g. a run of the OCA tier-validation suites alone)
    modules = set(args.modules.split(","))
    known = {
        test_id: reason for test_id, reason in known_failures(args.known).items() if test_id.split(".", 1)[0] in modules
    }
    new = [test_id for test_id in failed if test_id not in known]
    fixed = sorted(set(known) - set(failed))
    print(
        f"Odoo standard suites ({args.modules}): {len(passed)} passed; {len(failed) - len(new)} known vanilla "
        f"failures; {len(new)} new failures; {len(skipped)} skipped (log: {args.log})"
    )
    for test_id in new:
        print(f"  NEW FAILURE: {test_id}")
    for test_id in fixed:
        print(f"  now passes (remove from {Path(args.known).name}?): {test_id}")
    if not passed:
        print("No standard test passed: the run is broken", file=sys.stderr)
        return 1
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
