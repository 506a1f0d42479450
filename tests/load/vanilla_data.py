"""Fill a database with only standard Odoo (crm, sale_management, account) with as many customers
and sale orders as the load test's Wisdom CRM database, so that the two runs compare like with like.

    python3 tests/load/vanilla_data.py --db wisdom_load_vanilla --customers 20000 --contracts 2000
"""

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHUNK = 5000


def generate(env, customers, contracts, rng):
    from odoo.fields import Command  # noqa: PLC0415 - Odoo is imported by main()
    from odoo.tools import SQL  # noqa: PLC0415

    salesmen = env.ref("sales_team.group_sale_salesman").all_user_ids.filtered(lambda u: not u.share).ids
    done = 0
    while done < customers:
        count = min(CHUNK, customers - done)
        names = [f"Load Customer {done + number:06d} Co., Ltd." for number in range(count)]
        users = [None if rng.random() < 0.1 else rng.choice(salesmen) for __ in range(count)]
        env.execute_query(
            SQL(
                """INSERT INTO res_partner (name, complete_name, user_id, is_company, active, type, lang, customer_rank,
                                        autopost_bills, create_uid, write_uid, create_date, write_date)
               SELECT v.name, v.name, v.user_id, TRUE, TRUE, 'contact', 'en_US', 1, 'ask', 1, 1,
                      now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                 FROM unnest(%(names)s::text[], %(users)s::int[]) AS v(name, user_id)""",
                names=names,
                users=users,
            )
        )
        env.execute_query(SQL("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL"))
        env.cr.commit()
        done += count
        print(f"customers: {done}/{customers}", flush=True)
    partners = env["res.partner"].search(
        [("name", "=like", "Load Customer %"), ("user_id", "!=", False)], limit=max(contracts, 1000)
    )
    products = env["product.product"].search([("sale_ok", "=", True), ("type", "=", "consu")])
    Order = env["sale.order"].with_context(tracking_disable=True, mail_notrack=True, mail_create_nolog=True)
    done = 0
    while done < contracts:
        batch = []
        for __ in range(min(500, contracts - done)):
            partner = rng.choice(partners)
            batch.append(
                {
                    "partner_id": partner.id,
                    "user_id": partner.user_id.id,
                    "order_line": [
                        Command.create(
                            {"product_id": rng.choice(products).id, "product_uom_qty": rng.randint(10, 5000)}
                        )
                        for __ in range(rng.randint(1, 3))
                    ],
                }
            )
        orders = Order.create(batch)
        env.execute_query(
            SQL(
                "UPDATE sale_order SET state = 'sale',"
                " date_order = now() AT TIME ZONE 'UTC' - random() * interval '400 days' WHERE id IN %s",
                tuple(orders.ids),
            )
        )
        env.cr.commit()
        done += len(orders)
        print(f"sale orders: {done}/{contracts}", flush=True)
    env.execute_query(SQL("ANALYZE res_partner"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--contracts", type=int, default=2000)
    parser.add_argument("--conf", default=str(ROOT / "odoo.conf"))
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db])
    started = time.perf_counter()
    with Registry(args.db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        generate(env, args.customers, args.contracts, random.Random(args.seed))
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
