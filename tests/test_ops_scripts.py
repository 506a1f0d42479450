"""The operations scripts as a brand-new machine meets them (issue 10, NFR-04).

``scripts/pg-cluster.sh`` must start a private cluster in an empty data directory, create the suite's
role and let it connect, whatever ``PG*`` variables the caller exported (``scripts/wisdom.sh`` exports
``PGUSER``/``PGPASSWORD`` of a role that does not exist before the first start).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "pg-cluster.sh"
PGBIN = os.environ.get("PGBIN") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)

needs_root_and_postgres = pytest.mark.skipif(
    os.geteuid() != 0 or not PGBIN or not shutil.which("runuser"),
    reason="needs root, runuser and the PostgreSQL server binaries (as on the CI machine)",
)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(env, *args, check=True):
    result = subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=120)
    if check and result.returncode:
        raise AssertionError(
            f"pg-cluster.sh {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


@needs_root_and_postgres
def test_first_start_creates_the_role_whatever_the_callers_pg_variables():
    base = Path(tempfile.mkdtemp(prefix="wisdom-pg-test-", dir="/var/tmp"))
    port = _free_port()
    role, password = "wisdom_probe", "pa'ss\"word"
    env = {
        **os.environ,
        "PGHOST": "127.0.0.1",
        "PGPORT": str(port),
        # What scripts/wisdom.sh exports: the suite's role, which does not exist yet.
        "PGUSER": role,
        "PGPASSWORD": password,
        "PGDATABASE": "wisdom_not_there",
        "DB_USER": role,
        "DB_PASSWORD": password,
        "WISDOM_PGDATA": str(base / "data"),
        "WISDOM_PGSOCKDIR": str(base),
        "PGBIN": str(PGBIN),
    }
    try:
        assert _run(env, "status", check=False).returncode == 1
        started = _run(env, "start")
        assert f"Role {role} created" in started.stdout
        assert (base / "data" / "PG_VERSION").is_file()

        # The role logs in over TCP with its password and may create databases.
        who = subprocess.run(
            [
                f"{PGBIN}/psql",
                "-X",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                role,
                "-d",
                "postgres",
                "-tAc",
                "SELECT current_user, rolcreatedb FROM pg_roles WHERE rolname = current_user",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert who.stdout.strip() == f"{role}|t"

        # A second start (server already up) is harmless and keeps the role.
        again = _run(env, "start")
        assert "already answers" in again.stdout
        assert "created" not in again.stdout
        assert _run(env, "status").returncode == 0

        _run(env, "stop")
        assert _run(env, "status", check=False).returncode == 1
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)


def _wisdom(*args):
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "wisdom.sh"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "WISDOM_START_PG": "never"},
    )


def test_restore_refuses_a_missing_file_and_an_existing_database(tmp_path):
    missing = _wisdom("restore", str(tmp_path / "no-such-backup.zip"))
    assert missing.returncode != 0
    assert "backup file not found" in missing.stderr

    backup = tmp_path / "2026_01_01_03_00_00.dump.zip"
    backup.write_bytes(b"PK")
    existing = _wisdom("restore", str(backup), "postgres")
    assert existing.returncode != 0
    assert "database postgres already exists" in existing.stderr

    unknown = tmp_path / "backup.tar"
    unknown.write_bytes(b"x")
    assert "unknown backup format" in _wisdom("restore", str(unknown), "wisdom_never_created").stderr


def test_a_server_with_workers_starts_its_websocket_process(tmp_path):
    """``scripts/odoo-bin`` with ``workers`` > 0: the gevent process (websocket: live chatter, notifications)
    runs and answers on its port. Under ``python3 -m odoo`` it cannot start, or starts and dies when
    gevent cannot load its plugins (wrong zope wheels)."""
    from odoo.tools import config

    db = config["db_name"][0] if isinstance(config["db_name"], list) else config["db_name"]
    http_port, gevent_port = _free_port(), _free_port()
    log = tmp_path / "odoo.log"
    with open(log, "w", encoding="utf-8") as handle:
        server = subprocess.Popen(  # noqa: S603 - our own launcher, fixed arguments
            [
                sys.executable,
                str(ROOT / "scripts" / "odoo-bin"),
                "-c",
                config.rcfile or str(ROOT / "odoo.conf"),
                "-d",
                db,
                f"--db-filter=^{db}$",
                # the suite's own connection (scripts/wisdom.sh passes it on the command line, not in the file)
                f"--db_host={config['db_host'] or ''}",
                f"--db_port={config['db_port'] or ''}",
                f"--db_user={config['db_user'] or ''}",
                f"--db_password={config['db_password'] or ''}",
                f"--data-dir={config['data_dir']}",
                "--http-interface=127.0.0.1",
                f"--http-port={http_port}",
                f"--gevent-port={gevent_port}",
                "--workers=1",
                "--max-cron-threads=0",
                "--log-level=warn",
            ],
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    try:
        answer = None
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{gevent_port}/websocket/health", timeout=5) as response:
                    answer = response.status, json.loads(response.read())
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(1)
        assert answer == (200, {"status": "pass"}), log.read_text(encoding="utf-8")[-3000:]
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert "Traceback" not in log.read_text(encoding="utf-8"), log.read_text(encoding="utf-8")[-3000:]
