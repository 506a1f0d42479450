"""Public-pool moves as people call them: XML-RPC against an Odoo server with workers, as a real
sales director (assign, transfer) and a real rep (claim, release). Prints figures, asserts nothing.

    python3 tests/benchmarks/bench_pool_moves_rpc.py --db wisdom_h18

Starts ``odoo -c odoo.conf -d <db> --workers=2 --http-port=<free port>`` itself (or
uses ``--url`` of a running server), creates a bench team, pool, director, two reps and
``--batch`` pool customers (committed, so that the server sees them), times each call from the
client side (the round trip, as an integrator measures it), and deletes what it created.
"""

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import time
import uuid
import xmlrpc.client
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Bench-Pool-Moves-2026!"  # noqa: S105 - throwaway users deleted at the end (meets the password policy)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args):
    port = free_port()
    log = open(ROOT / ".odoo-data" / "logs" / f"bench-pool-moves-{args.db}.log", "w")  # noqa: SIM115
    # the "odoo" script, not "python3 -m odoo": the gevent worker re-runs sys.argv[0]
    odoo_bin = [shutil.which("odoo")] if shutil.which("odoo") else [sys.executable, "-m", "odoo"]
    process = subprocess.Popen(  # noqa: S603
        [
            *odoo_bin,
            "-c",
            args.conf,
            "-d",
            args.db,
            f"--workers={args.workers}",
            f"--http-port={port}",
            "--gevent-port",
            str(free_port()),
            "--log-level=warn",
            "--max-cron-threads=0",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for __ in range(120):
        try:
            xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").version()
            return process, url
        except (OSError, xmlrpc.client.Error):
            time.sleep(1)
    process.terminate()
    raise SystemExit("the Odoo server did not answer within 2 minutes; see " + log.name)


def setup(env, batch, tag):
    """Bench users, team, pool and ``batch`` customers waiting in the pool."""
    from odoo.fields import Command
    from odoo.tests import new_test_user

    users = {}
    for key, groups in (
        ("director", "wisdom_crm_base.group_wisdom_director"),
        ("rep", "wisdom_crm_base.group_wisdom_rep"),
        ("rep2", "wisdom_crm_base.group_wisdom_rep"),
    ):
        users[key] = new_test_user(
            env, login=f"bench_{key}_{tag}", password=PASSWORD, groups=groups, name=f"Bench {key} {tag}"
        )
    team = env["crm.team"].create(
        {"name": f"Bench team {tag}", "member_ids": [Command.set([users["rep"].id, users["rep2"].id])]}
    )
    pool = env["wisdom.customer.pool"].create(
        {
            "name": f"Bench pool {tag}",
            "member_team_ids": [Command.link(team.id)],
            "daily_claim_limit": 10,
            "max_private_customers": 0,
            "cooling_days": 0,
        }
    )
    customers = env["res.partner"].create(
        [
            {
                "name": f"基准测试客户{tag}-{i:04d}有限公司",
                "is_company": True,
                "wisdom_customer": True,
                "user_id": False,
                "pool_state": "pool",
                "pool_id": pool.id,
            }
            for i in range(batch)
        ]
    )
    return users, team, pool, customers


def cleanup(env, ids):
    env["wisdom.pool.log"].search([("partner_id", "in", ids["customers"])]).unlink()
    env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "in", ids["customers"])]).unlink()
    env["res.partner"].browse(ids["customers"]).unlink()
    env["wisdom.customer.pool"].browse(ids["pool"]).unlink()
    env["crm.team"].browse(ids["team"]).unlink()
    users = env["res.users"].browse(ids["users"])
    partners = users.partner_id
    users.unlink()
    partners.unlink()


class Client:
    def __init__(self, url, db, login):
        self.db = db
        self.uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, login, PASSWORD, {})
        if not self.uid:
            raise SystemExit(f"cannot log in as {login}")
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, PASSWORD, model, method, list(args), kwargs)


def timed(figures, label, count, function, *args):
    started = time.perf_counter()
    result = function(*args)
    elapsed = time.perf_counter() - started
    figures.setdefault(label, []).append(elapsed)
    print(f"{label} ({count} customers): {elapsed:.3f} s", flush=True)
    return result


def run(url, db, ids, batch, rounds, figures):
    director = Client(url, db, ids["logins"]["director"])
    rep = Client(url, db, ids["logins"]["rep"])
    customers = ids["customers"]
    for client in (director, rep, director, rep):  # load the registry in both workers
        client.call("res.partner", "search_count", [("id", "in", customers)])
    limit = 10
    for __ in range(rounds):
        # The rep within the pool's daily limit, then everything back in the pool.
        timed(figures, "rep claim up to the limit", limit, rep.call, "res.partner", "action_claim", customers[:limit])
        timed(
            figures,
            "rep release up to the limit",
            limit,
            rep.call,
            "res.partner",
            "action_release",
            customers[:limit],
            "基准测试退回",
        )
        director.call("wisdom.customer.pool", "write", [ids["pool"]], {"daily_claim_limit": 0})
        timed(figures, "rep claim (limit raised)", batch, rep.call, "res.partner", "action_claim", customers)
        timed(
            figures,
            "rep release (limit raised)",
            batch,
            rep.call,
            "res.partner",
            "action_release",
            customers,
            "基准测试退回",
        )
        timed(
            figures,
            "director assign from the pool",
            batch,
            director.call,
            "res.partner",
            "action_assign",
            customers,
            ids["rep"],
        )
        timed(
            figures,
            "director transfer to another rep",
            batch,
            director.call,
            "res.partner",
            "action_assign",
            customers,
            ids["rep2"],
            False,
            "基准测试转移",
        )
        timed(
            figures,
            "director release",
            batch,
            director.call,
            "res.partner",
            "action_release",
            customers,
            "基准测试退回",
        )
        director.call("wisdom.customer.pool", "write", [ids["pool"]], {"daily_claim_limit": limit})
        # the daily limit counts today's claims: start the next round from a clean log
        ids["reset_log"]()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--conf", default=str(ROOT / "odoo.conf"))
    parser.add_argument("--url", help="a running server (default: start one with --workers)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db, "--log-level=warn"])
    registry = Registry(args.db)
    tag = uuid.uuid4().hex[:6]
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        users, team, pool, customers = setup(env, args.batch, tag)
        total = env["res.partner"].search_count([("wisdom_customer", "=", True)])
        ids = {
            "users": [u.id for u in users.values()],
            "logins": {k: u.login for k, u in users.items()},
            "rep": users["rep"].id,
            "rep2": users["rep2"].id,
            "team": team.id,
            "pool": pool.id,
            "customers": customers.ids,
        }
    print(f"database {args.db}: {total} customers; batch {args.batch}; {args.rounds} rounds", flush=True)

    def reset_log():
        with registry.cursor() as cr:
            odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})["wisdom.pool.log"].search(
                [("partner_id", "in", ids["customers"]), ("action", "=", "claim")]
            ).unlink()

    ids["reset_log"] = reset_log
    process = None
    figures = {}
    try:
        if args.url:
            url = args.url
        else:
            process, url = start_server(args)
            print(f"server: {url}, {args.workers} workers", flush=True)
        run(url, args.db, ids, args.batch, args.rounds, figures)
    finally:
        if process:
            process.terminate()
            process.wait(timeout=60)
        with registry.cursor() as cr:
            cleanup(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), ids)
    print("median over the rounds:")
    for label, values in figures.items():
        print(f"  {label}: {statistics.median(values):.3f} s")


if __name__ == "__main__":
    main()
