"""Customer-master figures on a large database (not a test: it prints, it does not assert).

    python3 -m data.generate --db wisdom_big --customers 100000
    python3 tests/benchmarks/bench_customer_master.py --db wisdom_big

Everything runs in one transaction that is rolled back at the end, so the database is unchanged.
"""

import argparse
import os
import random
import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def timed(label, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    print(f"{label}: {(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--conf", default=str(ROOT / "odoo.conf"))
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--reclaim-batches",
        type=int,
        default=0,
        help="time only the first N reclaim batches and extrapolate (0: the whole run)",
    )
    args = parser.parse_args()

    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import SQL

    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db, "--log-level=warn"])
    registry = Registry(args.db)
    rng = random.Random(7)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        Partner = env["res.partner"]
        total = Partner.search_count([("wisdom_customer", "=", True)])
        [(size,)] = env.execute_query(SQL("SELECT pg_size_pretty(pg_database_size(current_database()))"))
        print(f"customers in database: {total}; database size {size}; load average {os.getloadavg()[0]:.1f}")

        # 1. Duplicate check latency (客户查重) for names close to existing ones
        names = Partner.search([("wisdom_customer", "=", True)], limit=2000).mapped("name")
        for label, extra in (("dedup check", {}), ("dedup check with e-mail", {"email": "sales@example.cn"})):
            samples = []
            for name in rng.sample(names, 50):
                variant = name.replace("有限公司", "有限责任公司").replace("号", "號")
                started = time.perf_counter()
                Partner.wisdom_check_duplicates({"name": variant, "phone": "0731-8888 1234", **extra})
                samples.append((time.perf_counter() - started) * 1000)
            samples.sort()
            print(
                f"{label}: mean {statistics.mean(samples):.1f} ms, p95 {samples[int(len(samples) * 0.95)]:.1f} ms,"
                f" max {samples[-1]:.1f} ms over {len(samples)} checks"
            )

        # 2. Claim / assign / release of a batch of customers
        rep_group = env.ref("wisdom_crm_base.group_wisdom_rep")
        director = env.ref("wisdom_crm_base.group_wisdom_director").all_user_ids.filtered(lambda u: not u.share)[:1]
        # The pool holding the most waiting customers, so that the batch is full whatever the data.
        [(pool, __)] = Partner._read_group(
            [("pool_state", "=", "pool"), ("pool_id", "!=", False)],
            ["pool_id"],
            ["__count"],
            order="__count DESC",
            limit=1,
        )
        pool_customers = Partner.search([("pool_state", "=", "pool"), ("pool_id", "=", pool.id)], limit=args.batch)
        rep = (pool._wisdom_member_users() & rep_group.all_user_ids)[:1]
        pool.write({"daily_claim_limit": 0, "max_private_customers": 0, "cooling_days": 0})
        env.flush_all()
        print(f"batch size: {len(pool_customers)} customers, rep {rep.login}, director {director.login}")
        timed("claim batch", pool_customers.with_user(rep).action_claim)
        env.flush_all()
        other_rep = (pool._wisdom_member_users() & rep_group.all_user_ids - rep)[:1] or rep
        timed(
            "assign batch",
            lambda: (pool_customers.with_user(director).action_assign(other_rep.id, reason="bench"), env.flush_all()),
        )
        timed("release batch", lambda: (pool_customers.with_user(director).action_release("bench"), env.flush_all()))

        # 3. Nightly reclaim over the whole database
        from odoo.addons.wisdom_crm_base.models.res_partner_reclaim import RECLAIM_BATCH

        def run_batches(process, rows, limit=None):
            """Run ``process`` on batches of RECLAIM_BATCH rows (the first ``limit`` batches);
            return (rows done, seconds)."""
            count = len(rows) if limit is None else min(limit * RECLAIM_BATCH, len(rows))
            started = time.perf_counter()
            for start in range(0, count, RECLAIM_BATCH):
                process(rows[start : start + RECLAIM_BATCH])
            env.flush_all()
            return count, time.perf_counter() - started

        due, warn = timed("reclaim plan (query + rules)", Partner._wisdom_reclaim_plan)
        print(f"reclaim plan: {len(due)} due, {len(warn)} to warn")

        # 3a. A steady night: tomorrow's run, once tonight's is done (what tomorrow adds)
        from freezegun import freeze_time

        with freeze_time(datetime.now() + timedelta(days=1), tick=True):
            started = time.perf_counter()
            due_next, warn_next = Partner._wisdom_reclaim_plan()
            plan_seconds = time.perf_counter() - started
            reclaimed_tonight = {row["id"] for row, __ in due}
            warned_tonight = reclaimed_tonight | {row["id"] for row, __ in warn}
            due_next = [(row, d) for row, d in due_next if row["id"] not in reclaimed_tonight]
            warn_next = [(row, d) for row, d in warn_next if row["id"] not in warned_tonight]
            __, warn_seconds = run_batches(Partner._wisdom_warn_reclaim, warn_next)
            __, due_seconds = run_batches(Partner._wisdom_reclaim_batch, due_next)
        print(
            f"a steady night (tomorrow's run after tonight's): {len(due_next)} due, {len(warn_next)} warned:"
            f" plan {plan_seconds:.1f} s + warnings {warn_seconds:.1f} s + reclaim {due_seconds:.1f} s"
            f" = {plan_seconds + warn_seconds + due_seconds:.1f} s"
        )

        # 3b. Tonight's run: the first night over the generated data, everything overdue at once
        if not args.reclaim_batches:
            timed("nightly reclaim run (first night)", Partner._cron_reclaim_customers)
        else:
            warned, warn_seconds = run_batches(Partner._wisdom_warn_reclaim, warn, args.reclaim_batches)
            reclaimed, due_seconds = run_batches(Partner._wisdom_reclaim_batch, due, args.reclaim_batches)
            per_warning, per_reclaim = warn_seconds / max(warned, 1), due_seconds / max(reclaimed, 1)
            total = per_warning * len(warn) + per_reclaim * len(due)
            print(
                f"first night, measured on {warned} warnings ({warn_seconds:.1f} s) and {reclaimed} reclaims"
                f" ({due_seconds:.1f} s), extrapolated: plan + {len(warn)} × {per_warning * 1000:.2f} ms"
                f" + {len(due)} × {per_reclaim * 1000:.2f} ms = {total:.0f} s + plan, in committed batches of"
                f" {RECLAIM_BATCH}"
            )
        cr.rollback()


if __name__ == "__main__":
    main()
