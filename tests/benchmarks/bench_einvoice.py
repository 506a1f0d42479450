"""数电发票 issuing under a flapping Nuonuo, and one 2,000-line invoice (not a test: it prints).

    python3 tests/benchmarks/bench_einvoice.py --db <db> [--requests 200 --ratio 0.3 --lines 2000]

1. ``--requests`` invoice requests (one per contract of one shipped line) are issued against
   the fake Nuonuo on 127.0.0.1 answering HTTP 502 to ``--ratio`` of all requests (token, issue,
   query, file downloads). The jobs of the integration messages are performed round after round
   (a ``RetryableJobError`` means "again next round", its back-off is not waited for) and the
   polling cron is run until no request is issuing. Prints issued / failed / dead messages /
   duplicates (orders the fake received twice, customer invoices per request > 1).
2. One request of 2,000 lines: time to create it (defaults and amounts), submit (checks) and issue
   it until the customer invoice is posted.

Everything is rolled back at the end.
"""

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def contract(env, product, tax, partner, lines, qty):
    from odoo.fields import Command

    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "user_id": env.uid,
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": qty,
                        "price_unit": 113.0,
                        "tax_ids": [Command.set(tax.ids)],
                    }
                )
                for _ in range(lines)
            ],
        }
    )
    order.action_confirm()
    order.order_line.write({"qty_delivered": qty})
    return order


def run_jobs(env, RetryableJobError, rounds=60):
    Message = env["wisdom.integration.message"]
    for _round in range(rounds):
        todo = Message.search([("system", "=", "einvoice"), ("state", "in", ("pending", "failed"))])
        if not todo:
            return
        for message in todo:
            try:
                message._wisdom_job_send()
            except RetryableJobError:
                pass


def issue_all(env, requests_, RetryableJobError, polls=10):
    requests_.action_issue()
    run_jobs(env, RetryableJobError)
    for _poll in range(polls):
        issuing = requests_.filtered(lambda r: r.state == "issuing")
        if not issuing:
            return
        issuing.write({"last_poll_at": False})
        env["wisdom.invoice.request"]._cron_poll_issuing(limit=len(issuing))
        run_jobs(env, RetryableJobError)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--conf", default=str(ROOT / "odoo.conf"))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--ratio", type=float, default=0.3)
    parser.add_argument("--lines", type=int, default=2000)
    args = parser.parse_args()

    import odoo
    from odoo.modules.registry import Registry

    from odoo.addons.queue_job.exception import RetryableJobError

    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db, "--log-level=warn"])
    from odoo.addons.wisdom_einvoice.tests.fake_nuonuo import TOKEN, FakeNuonuo

    registry = Registry(args.db)
    with registry.cursor() as cr, FakeNuonuo() as fake:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        if "wisdom.review.rule" in env:
            env["wisdom.review.rule"].search([]).action_archive()
        env["tier.definition"].search([("model", "=", "sale.order")]).action_archive()
        env.ref("wisdom_einvoice.endpoint_einvoice_nuonuo").write(
            {
                "base_url": fake.url,
                "einvoice_token_url": fake.url + TOKEN,
                "api_key": "NN-KEY",
                "api_secret": "NN-SECRET",
                "active": True,
                "max_attempts": 10,
                "einvoice_access_token": False,
            }
        )
        env.company.vat = env.company.vat or "91430000MA4WISDOM1"
        tax = env["account.tax"].create(
            {"name": "bench 13%", "amount": 13, "type_tax_use": "sale", "price_include_override": "tax_included"}
        )
        product = env["product.product"].create(
            {
                "name": "智能电表",
                "type": "consu",
                "invoice_policy": "order",
                "einvoice_goods_code": "1090416010000000000",
            }
        )
        partner = env["res.partner"].create(
            {"name": "压测客户有限公司", "is_company": True, "credit_code": "91439900MA4WTKP997"}
        )
        Request = env["wisdom.invoice.request"]

        # 1. flapping provider
        if args.requests:
            flapping(env, fake, Request, args, contract, product, tax, partner, RetryableJobError)

        # 2. one invoice of many lines
        if args.lines:
            many_lines(env, Request, args, contract, product, tax, partner, RetryableJobError)
        cr.rollback()


def flapping(env, fake, Request, args, contract, product, tax, partner, RetryableJobError):
    orders = [contract(env, product, tax, partner, 1, 1) for _ in range(args.requests)]
    requests_ = Request.create([{"order_id": order.id} for order in orders])
    requests_.action_submit()
    fake.flap(args.ratio, status=502, seed=11)
    started = time.perf_counter()
    issue_all(env, requests_, RetryableJobError)
    elapsed = time.perf_counter() - started
    fake.flap(None)
    Message = env["wisdom.integration.message"]
    messages = Message.search([("res_model", "=", Request._name), ("res_id", "in", requests_.ids)])
    moves = env["account.move"].search([("einvoice_request_id", "in", requests_.ids)])
    per_request = {}
    for move in moves:
        per_request[move.einvoice_request_id.id] = per_request.get(move.einvoice_request_id.id, 0) + 1
    states = {s: len(requests_.filtered(lambda r, s=s: r.state == s)) for s in ("issued", "failed", "issuing")}
    files_first = env["ir.attachment"].search_count([("res_model", "=", "account.move"), ("res_id", "in", moves.ids)])
    env["wisdom.invoice.request"]._cron_poll_issuing()  # downloads the files that failed
    files = env["ir.attachment"].search_count([("res_model", "=", "account.move"), ("res_id", "in", moves.ids)])
    print(f"{args.requests} requests against Nuonuo failing {args.ratio * 100:.0f} % with HTTP 502:")
    print(
        f"  issued {states['issued']}, failed {states['failed']}, still issuing {states['issuing']}, "
        f"dead messages {len(messages.filtered(lambda m: m.state == 'dead'))}"
    )
    print(
        f"  duplicates: orders at the fake {len(fake.orders)} for {args.requests} requests, "
        f"requests with more than one invoice {sum(1 for n in per_request.values() if n > 1)}"
    )
    print(
        f"  fake received {fake.count()} requests ({fake.count(status=502)} answered 502), "
        f"tokens fetched {fake.tokens_issued}, files stored {files_first} of {3 * len(moves)} at issue, "
        f"{files} after the next cron run"
    )
    print(f"  wall time {elapsed:.1f} s ({elapsed / args.requests * 1000:.0f} ms per request)")


def many_lines(env, Request, args, contract, product, tax, partner, RetryableJobError):
    big_order = contract(env, product, tax, partner, args.lines, 1)
    started = time.perf_counter()
    big = Request.create({"order_id": big_order.id})
    created = time.perf_counter()
    big.action_submit()
    submitted = time.perf_counter()
    issue_all(env, big, RetryableJobError)
    issued = time.perf_counter()
    print(
        f"{len(big.line_ids)}-line invoice: {big.state}, total {big.amount_total:.2f} "
        f"(posted invoice {big.move_id.amount_total:.2f}); create {created - started:.1f} s, "
        f"submit {submitted - created:.1f} s, issue to posted {issued - submitted:.1f} s, "
        f"total {issued - started:.1f} s"
    )


if __name__ == "__main__":
    main()
