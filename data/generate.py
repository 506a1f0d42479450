"""Fill an existing Wisdom CRM database with a large, realistic data set for benchmarks.

    python3 -m data.generate --db wisdom_big --customers 100000 [--contracts 20000] [--conf odoo.conf]

Customers are inserted in bulk (SQL, in chunks, one transaction per chunk) with unique Chinese
company names, valid unified social credit codes (GB 32100-2015), categories, provinces, owners
among the sales reps (10 % waiting in a public pool); contracts are confirmed quotations with one
to three lines, created through the ORM. Run it on a copy of a database with the addons installed,
never on production data.
"""

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CITIES = "南京 苏州 杭州 宁波 济南 青岛 长沙 株洲 武汉 宜昌 广州 深圳 南宁 成都 郑州 合肥 福州 南昌".split()
WORDS = "华能 国电 恒通 瑞丰 星城 中科 博远 天成 金源 远航 宏达 新能 智联 汇川 正泰 明阳 东方 长江".split()
TRADES = [
    ("grid", "供电服务"),
    ("generation", "发电"),
    ("generation", "新能源"),
    ("industrial", "钢铁"),
    ("industrial", "化工"),
    ("industrial", "产业园运营"),
    ("industrial", "数据中心"),
    ("distributor", "电气设备销售"),
    ("distributor", "电力器材贸易"),
    ("other", "物业管理"),
]
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]
DIVISIONS = ["320000", "330000", "370000", "430000", "420000", "440000", "450000", "510000", "410000", "130000"]
CHUNK = 10000


def _env(db, conf):
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", str(conf), "-d", db])
    return Registry(db)


def _customer_rows(count, start, reps, pool_id, state_ids, rng):
    from odoo.addons.wisdom_crm_base.tools import credit_code, dedup

    rows = []
    for number in range(start, start + count):
        category, trade = rng.choice(TRADES)
        name = f"{rng.choice(CITIES)}{rng.choice(WORDS)}{rng.choice(WORDS)}{trade}{number:06d}号{rng.choice(SUFFIXES)}"
        org = f"9{number:07d}"  # unique per generated customer, so credit codes never collide
        in_pool = rng.random() < 0.1
        rows.append(
            {
                "name": name,
                "credit_code": credit_code.build("9", "1", rng.choice(DIVISIONS), org),
                "customer_category": category,
                "state_id": rng.choice(state_ids),
                "user_id": None if in_pool else rng.choice(reps),
                "pool_state": "pool" if in_pool else "private",
                "pool_id": pool_id,
                "wisdom_name_key": dedup.normalize_name(name),
                "customer_code": f"GEN{number:07d}",
            }
        )
    return rows


def generate_customers(env, count, rng):
    from odoo.tools import SQL

    reps = env.ref("wisdom_crm_base.group_wisdom_rep").all_user_ids.filtered(lambda u: not u.share).ids
    pool = env["wisdom.customer.pool"].search([], limit=1)
    state_ids = env["res.country.state"].search([("country_id.code", "=", "CN")]).ids
    country_id = env.ref("base.cn").id
    [(start,)] = env.execute_query(SQL("SELECT count(*) FROM res_partner WHERE customer_code LIKE 'GEN%%'"))
    done = 0
    while done < count:
        rows = _customer_rows(min(CHUNK, count - done), start + done, reps, pool.id or None, state_ids, rng)
        inserted = env.execute_query(
            SQL(
                """INSERT INTO res_partner (name, complete_name, credit_code, customer_category, state_id, country_id,
                                        user_id, pool_state, pool_id, wisdom_name_key, customer_code, owner_since,
                                        is_company, wisdom_customer, active, type, lang, customer_rank,
                                        autopost_bills, create_uid, write_uid, create_date, write_date)
               SELECT v.name, v.name, v.credit_code, v.category, v.state_id, %(country)s, v.user_id, v.pool_state,
                      v.pool_id, v.name_key, v.code, now() AT TIME ZONE 'UTC' - (random() * interval '90 days'),
                      TRUE, TRUE, TRUE, 'contact', 'zh_CN', 1, 'ask', 1, 1,
                      now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                 FROM unnest(%(names)s::text[], %(codes)s::text[], %(cats)s::text[], %(states)s::int[],
                             %(users)s::int[], %(pstates)s::text[], %(pools)s::int[], %(keys)s::text[],
                             %(ccodes)s::text[])
                      AS v(name, credit_code, category, state_id, user_id, pool_state, pool_id, name_key, code)
            RETURNING id""",
                country=country_id,
                names=[r["name"] for r in rows],
                codes=[r["credit_code"] for r in rows],
                cats=[r["customer_category"] for r in rows],
                states=[r["state_id"] for r in rows],
                users=[r["user_id"] for r in rows],
                pstates=[r["pool_state"] for r in rows],
                pools=[r["pool_id"] for r in rows],
                keys=[r["wisdom_name_key"] for r in rows],
                ccodes=[r["customer_code"] for r in rows],
            )
        )
        # Only the rows just inserted: a scan of the whole table per chunk made 1,000,000 quadratic.
        env.execute_query(
            SQL(
                """UPDATE res_partner SET commercial_partner_id = id, wisdom_scope_customer = wisdom_customer,
                                         wisdom_scope_user_id = user_id, wisdom_scope_pool_state = pool_state,
                                         wisdom_scope_pool_id = pool_id
                    WHERE id = ANY(%s)""",
                [row[0] for row in inserted],
            )
        )
        env.cr.commit()
        done += len(rows)
        print(f"customers: {done}/{count}", flush=True)


def generate_contracts(env, count, rng):
    from odoo.fields import Command
    from odoo.tools import SQL

    customers = env["res.partner"].search(
        [("customer_code", "like", "GEN%"), ("pool_state", "=", "private")], limit=max(count, 1000)
    )
    products = env["product.product"].search([("sale_ok", "=", True), ("default_code", "like", "WS-%")])
    if not customers or not products:
        sys.exit("Generate customers first, in a database with the Wisdom CRM demo products.")
    company = env.ref("wisdom_crm_base.company_wisdom_demo", raise_if_not_found=False) or env.company
    Order = (
        env["sale.order"]
        .with_company(company)
        .with_context(tracking_disable=True, mail_notrack=True, mail_create_nolog=True)
    )
    done = 0
    while done < count:
        batch = []
        for __ in range(min(500, count - done)):
            customer = rng.choice(customers)
            batch.append(
                {
                    "partner_id": customer.id,
                    "user_id": customer.user_id.id,
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
        print(f"contracts: {done}/{count}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--customers", type=int, default=0)
    parser.add_argument("--contracts", type=int, default=0)
    parser.add_argument("--conf", default=str(ROOT / "odoo.conf"))
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()

    import odoo

    registry = _env(args.db, args.conf)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if args.customers:
            generate_customers(env, args.customers, rng)
        if args.contracts:
            generate_contracts(env, args.contracts, rng)
        env.execute_query(odoo.tools.SQL("ANALYZE res_partner"))
    print(f"done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
