"""The load test's script works: Locust runs tests/load/locustfile.py with a sales rep and a finance
clerk against the suite's HTTP server, each doing each of its tasks once (then the run ends); every
request type of their roles answers without error, and what they did adds up in the database."""

import json
import os
import subprocess
import tempfile
from pathlib import Path

from odoo.tests import HttpCase, tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME

from tests.load.locust_venv import ensure_locust
from tests.load.report import check_sums, read_stats

ROOT = Path(__file__).resolve().parent.parent


@tagged("post_install", "-at_install")
class TestLoadScript(HttpCase):
    def test_locustfile_short_run(self):
        locust = ensure_locust()
        with tempfile.TemporaryDirectory() as folder, self.allow_requests():
            prefix, ledger_path = f"{folder}/smoke", f"{folder}/ledger.json"
            env = dict(
                os.environ,
                LOAD_DB=self.env.cr.dbname,
                LOAD_FLAVOUR="wisdom",
                LOAD_MIX="rep=1,finance=1",
                LOAD_THINK="0.1,0.3",
                LOAD_MAX_TASKS="5",
                LOAD_EVERY_TASK_FIRST="1",
                LOAD_LEDGER=ledger_path,
                LOAD_COOKIE=f"{TEST_CURSOR_COOKIE_NAME}={self.http_request_key}",
            )
            process = subprocess.run(
                [
                    str(locust),
                    "-f",
                    str(ROOT / "tests/load/locustfile.py"),
                    "--headless",
                    "--only-summary",
                    "--host",
                    self.base_url(),
                    "-u",
                    "2",
                    "-r",
                    "2",
                    "-t",
                    "120s",
                    "--stop-timeout",
                    "20",
                    "--csv",
                    prefix,
                ],
                env=env,
                capture_output=True,
                text=True,
                timeout=200,
                check=False,
                cwd=ROOT,
            )
            output = process.stdout + process.stderr
            self.assertEqual(process.returncode, 0, output[-3000:])
            ledger = json.loads(Path(ledger_path).read_text(encoding="utf-8"))
            self.assertIn("requests", ledger, "the locustfile writes the final figures into the ledger")
            stats = read_stats(prefix, ledger)
        self.assertEqual(stats["Aggregated"]["Failure Count"], "0", output[-3000:])
        for name in (
            "login",
            "customer list",
            "customer form",
            "duplicate check",
            "pool claim",
            "pool release",
            "contract new",
            "contract save",
            "contract review",
            "contract submit",
            "payment save",
            "payment post",
            "collection confirm",
            "dashboard",
        ):
            self.assertIn(name, stats, f"no '{name}' request in the run:\n{output[-3000:]}")
            self.assertGreater(int(stats[name]["Request Count"]), 0)
        self.assertGreaterEqual(sum(row["done"] for row in ledger["contracts"].values()), 1)
        self.assertGreaterEqual(sum(row["done"] for row in ledger["collections"].values()), 1)

        def execute(sql, params):
            self.env.cr.execute(sql, params)
            return self.env.cr.fetchall()

        self.env.flush_all()
        checks = check_sums(execute, ledger)
        self.assertEqual([check for check in checks if not check[3]], [], checks)
        self.assertGreaterEqual(len(checks), 11)
