"""Contract review figures (not a test: it prints, it does not assert).

    python3 tests/benchmarks/bench_contract.py --db wisdom_dev [--lines 200] [--contracts 500]

1. The pure evaluator on a 200-line contract snapshot with every rule type (no database).
2. The review of a real 200-line quotation through the ORM: live findings (what-if), submission
   (findings stored, approval tiers requested) and a re-review after one price change.
3. Submission of 500 quotations of 3 lines each for review.

Everything runs in one transaction that is rolled back at the end, so the database is unchanged.
"""

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def timed(label, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    print(f"{label}: {(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
    return result


def bench_pure_evaluator(review, lines):
    snapshot = review.ContractSnapshot(
        contract_type="standard",
        customer_category="grid",
        customer_grade="A",
        credit_days_allowed=60,
        overdue_amount=1000.0,
        credit_limit=5_000_000.0,
        credit_exposure=4_000_000.0,
        credit_days=90,
        delivery_days=20,
        warranty_months=36,
        prepayment_percent=10,
        retention_percent=10,
        amount=2_000_000.0,
        lines=tuple(
            review.LineSnapshot(
                key=i,
                product=f"P{i}",
                category_ids=frozenset({1, 2 + i % 5}),
                qty=10,
                price=90 + i % 20,
                list_price=110,
                floor_price=95,
                cost=70,
                nonstandard=i % 50 == 0,
                lead_days=30,
                warranty_months=24,
            )
            for i in range(lines)
        ),
    )
    checks = list(review.CHECKS)
    rules = [review.Rule(rule_id=n, check_type=check, threshold=15, role="director") for n, check in enumerate(checks)]
    samples = []
    for _ in range(50):
        started = time.perf_counter()
        result = review.evaluate(snapshot, rules)
        samples.append((time.perf_counter() - started) * 1000)
    print(
        f"pure evaluator, {lines} lines x {len(rules)} rules: mean {statistics.mean(samples):.2f} ms, "
        f"max {max(samples):.2f} ms, {len(result.findings)} findings"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--conf", default=str(ROOT / "odoo.conf"))
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--contracts", type=int, default=500)
    args = parser.parse_args()

    import odoo
    from odoo.fields import Command
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db, "--log-level=warn"])
    odoo.modules.initialize_sys_path()

    from odoo.addons.wisdom_contract.tools import review  # noqa: PLC0415 (after the addons path is set)

    bench_pure_evaluator(review, args.lines)

    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        company = env.company
        Rule = env["wisdom.review.rule"]
        Rule.search([]).action_archive()
        for check in review.CHECKS:
            Rule.create({"name": check, "check_type": check, "threshold": 15, "role": "director"})
        Rule.create({"name": "nonstandard", "check_type": "nonstandard", "role": "product_manager"})
        print(f"active review rules: {Rule.search_count([])}")
        category = env["product.category"].create({"name": "Bench"})
        products = env["product.product"].create(
            [
                {
                    "name": f"Bench meter {i}",
                    "categ_id": category.id,
                    "list_price": 110.0,
                    "standard_price": 70.0,
                    "wisdom_floor_price": 95.0,
                    "wisdom_standard_lead_days": 30,
                    "wisdom_nonstandard": i % 50 == 0,
                }
                for i in range(args.lines)
            ]
        )
        customer = env["res.partner"].create({"name": "Bench customer", "is_company": True, "wisdom_customer": True})
        instalments = [
            Command.create({"kind": "prepayment", "percent": 30}),
            Command.create({"kind": "delivery", "percent": 70, "days": 30}),
        ]

        # 2. One contract of N lines
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "delivery_days": 20,
                "warranty_months": 36,
                "payment_term_line_ids": instalments,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": 10, "price_unit": 90 + i % 20})
                    for i, p in enumerate(products)
                ],
            }
        )
        env.flush_all()
        result = timed(f"live review of a {args.lines}-line contract (snapshot + evaluate)", order._wisdom_evaluate)
        print(
            f"  findings: {len(result.findings)}, needing approval: "
            f"{sum(f.outcome == 'approval' for f in result.findings)}"
        )
        timed("  live review rendered for the form", lambda: order._wisdom_findings_html(result.findings))
        timed(f"submit the {args.lines}-line contract", lambda: (order.action_wisdom_submit_review(), env.flush_all()))
        print(f"  tiers requested: {', '.join(order.review_ids.mapped('name'))}")
        line = order.order_line[1]
        timed("re-review after one price change", lambda: (line.write({"price_unit": 80.0}), env.flush_all()))

        # 3. Many contracts submitted
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "payment_term_line_ids": instalments,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": products[(n + k) % len(products)].id,
                                "product_uom_qty": 5,
                                "price_unit": 100.0 if n % 4 else 90.0,
                            }
                        )
                        for k in range(3)
                    ],
                }
                for n in range(args.contracts)
            ]
        )
        env.flush_all()
        started = time.perf_counter()
        orders.action_wisdom_submit_review()
        env.flush_all()
        elapsed = time.perf_counter() - started
        pending = sum(1 for o in orders if o.review_state == "pending")
        print(
            f"submit {len(orders)} contracts: {elapsed * 1000:.0f} ms ({elapsed / len(orders) * 1000:.1f} ms each), "
            f"{pending} waiting for approval"
        )
        cr.rollback()


if __name__ == "__main__":
    main()
