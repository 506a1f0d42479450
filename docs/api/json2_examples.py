#!/usr/bin/env python3
"""Wisdom CRM over Odoo 19's JSON-2 API: the README's integrator examples, runnable.

    python3 docs/api/json2_examples.py --url http://localhost:8069 --db wisdom \\
        --rep-key <API key of a sales rep> --director-key <...> --finance-key <...> --product-id 42

Each user creates an API key in the web client (avatar → My Preferences → Account Security →
New API Key, scope "rpc"), or an administrator with ``res.users.apikeys``. JSON-2 is
``POST /json/2/<model>/<method>`` with ``Authorization: bearer <key>``; the body holds ``ids``
(for methods on records), ``context`` and the method's named arguments; the answer is the
method's return value as JSON (records become lists of ids), an error comes back with an HTTP
status (403 access, 422 validation/user error, 404 unknown model or method) and a JSON body whose
``message`` is in the user's language. The suite runs this script against a live test server
(``addons/wisdom_fulfillment/tests/test_json2_examples.py``).

Only the standard library and ``requests``.
"""

import argparse
import json
import sys
import time

import requests


class ApiError(RuntimeError):
    """The server refused a call: ``status`` and the server's ``message``."""

    def __init__(self, status, message):
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.message = message


class Json2:
    """One user's connection: ``client(model, method, ids=None, **named_arguments)``."""

    def __init__(self, url, db, api_key, lang=None, timeout=60):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.context = {"lang": lang} if lang else {}
        self.headers = {"Authorization": f"bearer {api_key}", "X-Odoo-Database": db,
                        "Content-Type": "application/json; charset=utf-8"}

    def __call__(self, model, method, ids=None, **kwargs):
        body = dict(kwargs)
        if ids is not None:
            body["ids"] = ids
        if self.context:
            body["context"] = self.context
        response = requests.post(f"{self.url}/json/2/{model}/{method}", data=json.dumps(body),
                                 headers=self.headers, timeout=self.timeout)
        if response.status_code != 200:
            try:
                message = response.json().get("message")
            except ValueError:
                message = response.text[:500]
            raise ApiError(response.status_code, message)
        return response.json()


def run(url, db, rep_key, director_key, finance_key, product_id, log=print):
    """The README's flow; returns what it read, for the caller to check."""
    rep = Json2(url, db, rep_key)
    director = Json2(url, db, director_key)
    finance = Json2(url, db, finance_key)
    result = {}

    # 1. Create a customer, checking for duplicates first (exact duplicates would be refused anyway)
    name = f"长沙智能配电工程有限公司 {int(time.time() * 1000) % 10**8}"
    matches = rep("res.partner", "wisdom_check_duplicates", vals={"name": name, "phone": "0731-8888 6666"})
    if any(match["blocking"] for match in matches):
        raise SystemExit(f"{name} already exists: {matches[0]['name']}")
    [customer_id] = rep("res.partner", "create", vals_list=[{
        "name": name, "is_company": True, "wisdom_customer": True, "phone": "0731-8888 6666"}])
    result["customer_id"] = customer_id
    log(f"customer {customer_id} created ({len(matches)} similar customers found)")

    # 2. Create a contract: 30 % prepayment, 60 % on delivery (30 days), 10 % retention after the warranty
    [order_id] = rep("sale.order", "create", vals_list=[{
        "partner_id": customer_id, "contract_type": "standard", "warranty_months": 24,
        "order_line": [[0, 0, {"product_id": product_id, "product_uom_qty": 10, "price_unit": 450.0}]],
        "payment_term_line_ids": [[0, 0, {"kind": "prepayment", "percent": 30}],
                                  [0, 0, {"kind": "delivery", "percent": 60, "days": 30}],
                                  [0, 0, {"kind": "retention", "percent": 10}]],
    }])
    result["order_id"] = order_id

    # 3. Read the review findings before submitting (nothing is stored)
    findings = rep("sale.order", "wisdom_review_findings", ids=[order_id])
    result["findings"] = findings
    for finding in findings:
        log(f"  {finding['result']:8} {finding['approver_role'] or '':15} {finding['message']}")

    # 4. Submit; the director approves when a finding asks for it; the rep confirms
    rep("sale.order", "action_wisdom_submit_review", ids=[order_id])
    [order] = rep("sale.order", "read", ids=[order_id], fields=["review_state", "contract_no"])
    if order["review_state"] == "pending":
        director("sale.order", "validate_tier", ids=[order_id])
    rep("sale.order", "action_confirm", ids=[order_id])
    log(f"contract {order['contract_no']} confirmed")

    # 5. Finance registers the customer's payment of what is due (the prepayment) and allocates it to
    #    the oldest open instalment
    [due] = finance("sale.order", "read", ids=[order_id], fields=["receivable_amount"])
    [payment_id] = finance("account.payment", "create", vals_list=[{
        "payment_type": "inbound", "partner_type": "customer", "partner_id": customer_id,
        "amount": due["receivable_amount"]}])
    finance("account.payment", "action_post", ids=[payment_id])
    finance("account.payment", "action_wisdom_suggest_allocation", ids=[payment_id])
    finance("account.payment", "action_wisdom_confirm_allocation", ids=[payment_id])

    # 6. Read the execution status
    [status] = rep("sale.order", "read", ids=[order_id], fields=[
        "execution_state", "collected_amount", "collected_percent", "outstanding_amount", "receivable_amount",
        "overdue_amount", "retention_outstanding", "next_due_date"])
    result["status"] = status
    log(json.dumps(status, ensure_ascii=False))
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--rep-key", required=True)
    parser.add_argument("--director-key", required=True)
    parser.add_argument("--finance-key", required=True)
    parser.add_argument("--product-id", type=int, required=True)
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line at the end")
    args = parser.parse_args(argv)
    try:
        result = run(args.url, args.db, args.rep_key, args.director_key, args.finance_key, args.product_id)
    except ApiError as error:
        print(error, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
