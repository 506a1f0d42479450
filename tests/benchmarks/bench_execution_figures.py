"""Stored execution figures of contracts: recompute for many contracts (prints, does not assert).

    nice -n 10 python3 tests/benchmarks/bench_execution_figures.py --db h_f [--contracts 20000]

Works on any database with wisdom_fulfillment installed, inside one transaction that is rolled back:
one contract is signed through the ORM (its collection plan generated), then copied in SQL to
``--contracts`` contracts with their lines and plans, with due dates spread over the past and future
year and part of them shipped, so that the figures differ. Then it times
``sale.order._wisdom_recompute_execution()`` over all of them (what the migration and a full refresh
do), the nightly refresh of the figures that change with the date, and a list grouped by execution
status and sorted by overdue amount.
"""

import argparse
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TERMS = [("prepayment", 30, 10), ("delivery", 60, 30), ("retention", 10, 0)]


def timed(label, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed * 1000:.0f} ms", flush=True)
    return result


def copy_rows(env, SQL, table, where, mapping, overrides):
    """INSERT a copy of ``table``'s rows matching ``where`` for each new contract in ``mapping``."""
    columns = [
        row[0]
        for row in env.execute_query(
            SQL(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id'"
                " ORDER BY ordinal_position",
                table,
            )
        )
    ]
    values = SQL(", ").join(
        SQL("parent.new_id") if c == "order_id" else (overrides.get(c) or SQL.identifier("src", c)) for c in columns
    )
    env.execute_query(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM %s src JOIN unnest(%s) WITH ORDINALITY AS parent(new_id, n)"
            " ON TRUE WHERE %s",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(c) for c in columns),
            values,
            SQL.identifier(table),
            mapping,
            where,
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--conf", default=str(ROOT / "odoo.conf"))
    parser.add_argument("--contracts", type=int, default=20000)
    args = parser.parse_args()

    import odoo
    from odoo.fields import Command
    from odoo.modules.registry import Registry
    from odoo.tools import SQL

    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db, "--log-level=warn"])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(
            cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
        )
        if "wisdom.review.rule" in env:
            env["wisdom.review.rule"].search([]).action_archive()
        env["tier.definition"].search([("model", "=", "sale.order")]).action_archive()
        rep = env.ref("wisdom_crm_base.group_wisdom_rep").all_user_ids.filtered(lambda u: not u.share)[:1] or env.user
        env = env(context=dict(env.context, allowed_company_ids=rep.company_id.ids))
        customer = env["res.partner"].create({"name": "执行状态基准客户", "is_company": True, "user_id": rep.id})
        product = env["product.product"].create({"name": "基准测试电表", "taxes_id": [Command.clear()]})
        template = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": rep.id,
                "company_id": rep.company_id.id,
                "signed_date": date(2026, 1, 5),
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 10,
                            "price_unit": 1000.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
                "payment_term_line_ids": [
                    Command.create({"kind": k, "percent": p, "days": d, "sequence": n})
                    for n, (k, p, d) in enumerate(TERMS)
                ],
            }
        )
        template.action_confirm()
        env.flush_all()

        def copy_contracts():
            ids = [
                row[0]
                for row in env.execute_query(
                    SQL(
                        "INSERT INTO sale_order (%s) SELECT %s FROM sale_order src, generate_series(2, %s)"
                        " WHERE src.id = %s RETURNING id",
                        *([SQL(", ").join(SQL.identifier(c) for c in order_columns)] * 2),
                        args.contracts,
                        template.id,
                    )
                )
            ]
            mapping = ids
            # each copy ships 0-10 units and has its instalments due somewhere in the past or next year
            copy_rows(
                env,
                SQL,
                "sale_order_line",
                SQL("src.order_id = %s", template.id),
                mapping,
                {"qty_delivered": SQL("mod(parent.n, 11)")},
            )
            copy_rows(
                env,
                SQL,
                "wisdom_collection_plan_line",
                SQL("src.order_id = %s", template.id),
                mapping,
                {
                    "due_date": SQL(
                        "CASE WHEN src.due_date IS NULL THEN NULL"
                        " ELSE DATE '2026-12-04' - (mod(parent.n * 37, 600) - 300)::int END"
                    )
                },
            )
            return [template.id, *ids]

        order_columns = [
            row[0]
            for row in env.execute_query(
                SQL(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = 'sale_order'"
                    " AND column_name <> 'id' ORDER BY ordinal_position"
                )
            )
        ]
        ids = timed(f"copy the contract in SQL to {args.contracts} contracts", copy_contracts)
        env.invalidate_all()
        orders = env["sale.order"].browse(ids)
        timed(f"recompute the stored execution figures of {len(orders)} contracts", orders._wisdom_recompute_execution)
        timed(
            "nightly refresh of the figures that change with the date",
            env["sale.order"]._wisdom_refresh_execution_dates,
            date(2026, 12, 5),
        )
        groups = timed(
            "contracts grouped by execution status (read_group)",
            env["sale.order"].formatted_read_group,
            [("id", "in", ids)],
            ["execution_state"],
            ["__count", "overdue_amount:sum"],
        )
        print({g["execution_state"]: g["__count"] for g in groups})
        timed(
            "50 contracts with the highest overdue (search, sorted)",
            env["sale.order"].search,
            [("state", "=", "sale"), ("overdue_amount", ">", 0)],
            order="overdue_amount desc",
            limit=50,
        )
        cr.rollback()


if __name__ == "__main__":
    main()
