"""Fulfilment figures: collection plan generation and the nightly alert run (prints, does not assert).

    python3 tests/benchmarks/bench_fulfillment.py --db wisdom_big [--contracts 10000] [--lines 100000]

Works on any database with wisdom_fulfillment installed: it creates its own customers, contracts and
plan lines inside one transaction that is rolled back at the end, so the database is unchanged.
"""

import argparse
import random
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TERMS = [("prepayment", 30, 10), ("delivery", 60, 30), ("retention", 10, 0)]


def timed(label, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed * 1000:.0f} ms", flush=True)
    return result, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--conf", default=str(ROOT / "odoo.conf"))
    parser.add_argument("--contracts", type=int, default=10000)
    parser.add_argument("--lines", type=int, default=100000)
    args = parser.parse_args()

    import odoo
    from odoo.fields import Command
    from odoo.modules.registry import Registry
    from odoo.tools import SQL

    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db, "--log-level=warn"])
    registry = Registry(args.db)
    from odoo.addons.wisdom_fulfillment.tools import plan  # importable once the addons path is set

    rng = random.Random(11)

    # 1. The pure plan generator alone
    instalments = [plan.Instalment(i, kind, Decimal(p), d) for i, (kind, p, d) in enumerate(TERMS)]
    events = plan.Events(
        signing=date(2026, 3, 2), warranty_months=12, shipments=(plan.Shipment(1, date(2026, 4, 1), Decimal("400")),)
    )
    totals = [Decimal(rng.randint(1000, 5_000_000)) / 100 for _ in range(args.contracts)]
    timed(
        f"pure plan generation for {args.contracts} contracts",
        lambda: [plan.generate(total, instalments, events) for total in totals],
    )

    with registry.cursor() as cr:
        env = odoo.api.Environment(
            cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
        )
        if "wisdom.review.rule" in env:
            env["wisdom.review.rule"].search([]).action_archive()
        env["tier.definition"].search([("model", "=", "sale.order")]).action_archive()
        rep = env.ref("wisdom_crm_base.group_wisdom_rep").all_user_ids.filtered(lambda u: not u.share)[:1] or env.user
        env = env(context=dict(env.context, allowed_company_ids=rep.company_id.ids))
        customers = env["res.partner"].create(
            [
                {"name": f"基准测试客户{i:04d}", "is_company": True, "wisdom_customer": True, "user_id": rep.id}
                for i in range(max(args.contracts // 10, 1))
            ]
        )
        product = env["product.product"].create({"name": "基准测试电表", "taxes_id": [Command.clear()]})

        # 2. Contracts signed: the ORM generates and stores their plans
        def make_orders():
            orders = env["sale.order"]
            for start in range(0, args.contracts, 1000):
                orders |= env["sale.order"].create(
                    [
                        {
                            "partner_id": customers[i % len(customers)].id,
                            "user_id": rep.id,
                            "company_id": rep.company_id.id,
                            "signed_date": date(2026, 1, 1) + timedelta(days=i % 300),
                            "order_line": [
                                Command.create(
                                    {
                                        "product_id": product.id,
                                        "product_uom_qty": 1,
                                        "price_unit": float(totals[i]),
                                        "tax_ids": [Command.clear()],
                                    }
                                )
                            ],
                            "payment_term_line_ids": [
                                Command.create({"kind": k, "percent": p, "days": d, "sequence": n})
                                for n, (k, p, d) in enumerate(TERMS)
                            ],
                        }
                        for i in range(start, min(start + 1000, args.contracts))
                    ]
                )
            env.flush_all()
            return orders

        orders, _ = timed(f"create {args.contracts} contracts (setup, not fulfilment)", make_orders)
        env.execute_query(SQL("UPDATE sale_order SET state = 'sale' WHERE id IN %s", tuple(orders.ids)))
        orders.invalidate_recordset(["state"])
        env.flush_all()
        _, elapsed = timed(
            f"plan generation for {args.contracts} contracts (ORM, stored)",
            lambda: (orders._wisdom_sync_collection_plan(), env.flush_all()),
        )
        count = env["wisdom.collection.plan.line"].search_count([("order_id", "in", orders.ids)])
        print(f"  {count} plan lines, {elapsed / args.contracts * 1000:.2f} ms per contract")

        # 3. Pad to the requested number of plan lines with due dates around today, then the nightly run
        missing = max(args.lines - count, 0)
        if missing:
            env.execute_query(
                SQL(
                    """
                INSERT INTO wisdom_collection_plan_line
                       (order_id, partner_id, team_id, user_id, company_id, currency_id, sequence, kind, percent,
                        amount, anchor_event, anchor_date, days, due_date, paid_amount, disposed_amount, residual,
                        state, overdue_days, alert_level, upcoming_alert_sent, create_uid, write_uid, create_date,
                        write_date)
                SELECT line.order_id, line.partner_id, line.team_id, line.user_id, line.company_id,
                       line.currency_id, line.sequence, line.kind, line.percent, line.amount, line.anchor_event,
                       CURRENT_DATE - (n %% 400) + 200, 0, CURRENT_DATE - (n %% 400) + 200, 0, 0, line.amount,
                       'planned', 0, 0, FALSE, 1, 1, NOW(), NOW()
                  FROM generate_series(1, %s) AS n
                  JOIN LATERAL (SELECT * FROM wisdom_collection_plan_line
                                 WHERE order_id IN %s ORDER BY id LIMIT 1 OFFSET (n %% 1000)) line ON TRUE
                """,
                    missing,
                    tuple(orders.ids[:1000]),
                )
            )
        total = env["wisdom.collection.plan.line"].search_count([])
        print(f"plan lines in database: {total}")
        Line = env["wisdom.collection.plan.line"]
        activities = env["mail.activity"].search_count([])
        timed("nightly alert run (first: every due/overdue line alerted)", Line._cron_collection_alerts)
        print(f"  activities created: {env['mail.activity'].search_count([]) - activities}")
        activities = env["mail.activity"].search_count([])
        timed("nightly alert run (re-run same day: nothing new)", Line._cron_collection_alerts)
        print(f"  activities created: {env['mail.activity'].search_count([]) - activities}")
        cr.rollback()


if __name__ == "__main__":
    main()
