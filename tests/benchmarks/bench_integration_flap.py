"""Integration core under a flapping Qichacha (not a test: it prints, it does not assert).

    python3 tests/benchmarks/bench_integration_flap.py --db wisdom_dev [--lookups 200 --ratio 0.3]

Sends ``--lookups`` Qichacha detail queries as integration messages to the fake Qichacha API on
127.0.0.1 that answers HTTP 502 to ``--ratio`` of the requests, runs the messages' job method (what
a queue_job job performs) round after round, a ``RetryableJobError`` meaning "again in the next
round" (its back-off is ignored), until every message is done or dead, and compares what the fake
received with the dashboard's figures. Everything is rolled back at the end (the job method commits
only inside a real job).
"""

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--conf", default=str(ROOT / "odoo.conf"))
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--ratio", type=float, default=0.3)
    parser.add_argument("--max-attempts", type=int, default=8)
    args = parser.parse_args()

    import odoo
    from odoo.modules.registry import Registry

    from odoo.addons.queue_job.exception import RetryableJobError

    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db, "--log-level=warn"])
    from odoo.addons.wisdom_qichacha.tests.fake_qichacha import COMPANIES, FakeQichacha

    registry = Registry(args.db)
    with registry.cursor() as cr, FakeQichacha() as fake:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        Message = env["wisdom.integration.message"]
        env.ref("wisdom_qichacha.endpoint_qichacha").write(
            {
                "base_url": fake.url,
                "api_key": "AK-test",
                "api_secret": "SK-test",
                "active": True,
                "max_attempts": args.max_attempts,
                "daily_budget": 0,
            }
        )
        env["ir.config_parameter"].set_param("wisdom_qichacha.cache_days", "0")
        Message.search([("system", "=", "qichacha")]).unlink()
        fake.flap(args.ratio, status=502, seed=11)
        started = time.perf_counter()
        messages = Message.browse()
        for index in range(args.lookups):
            keyword = COMPANIES[index % len(COMPANIES)]["CreditCode"]
            messages |= Message._wisdom_create(
                "qichacha", "basic_details", {"keyword": keyword}, None, f"bench-{index}", "outbound", None
            )
        rounds, backoffs = 0, []
        while todo := messages.filtered(lambda m: m.state in ("pending", "failed")):
            rounds += 1
            for message in todo:
                try:
                    message._wisdom_job_send()
                except RetryableJobError as retry:
                    backoffs.append(retry.seconds)
        elapsed = time.perf_counter() - started
        calls, failed = fake.count(), fake.count(status=502)
        figures = Message.wisdom_dashboard_data()["qichacha"]
        states = {state: len(messages.filtered(lambda m, s=state: m.state == s)) for state in ("done", "dead")}
        print(
            f"messages: {len(messages)}, done {states['done']}, dead {states['dead']}, "
            f"lost {len(messages) - states['done'] - states['dead']}, rounds {rounds}"
        )
        print(f"fake received {calls} requests, {failed} answered 502 ({failed / calls * 100:.2f} %)")
        print(
            f"dashboard: {figures['calls_24h']} calls, {figures['failed_24h']} failed, "
            f"failure rate {figures['failure_rate_24h'] * 100:.2f} %"
        )
        if backoffs:
            print(f"retries asked of queue_job: {len(backoffs)}, back-off {min(backoffs)}-{max(backoffs)} s")
        print(
            f"attempts per message: max {max(messages.mapped('attempts'))}, "
            f"mean duration of the last attempt {sum(messages.mapped('duration_ms')) / len(messages):.1f} ms"
        )
        print(f"wall time {elapsed:.1f} s ({elapsed / calls * 1000:.1f} ms per call)")
        cr.rollback()


if __name__ == "__main__":
    main()
