"""Soak of the demand's e-flow through flapping PLM, OA, SAP, MES and WeCom (issue 12; not a test: it
prints, it does not assert).

    nice -n 19 python3 tests/benchmarks/bench_eflow_soak.py --db wisdom_soak \\
        [--contracts 500 --ratio 0.3 --down sap --outage-minutes 10 --outage-start 20 --arrival-minutes 60]

``--contracts`` demands of the demo customers arrive over ``--arrival-minutes`` and go through the whole
e-flow as the people and the systems would: the rep enters and submits the demand (a standard meter and one
new item), the product manager accepts the meter and marks the item for a new material code, the contract
admin approves (PLM gets the code request), PLM's engineers give the code ``--coding-minutes`` later and PLM
pushes it (``--ratio`` of the pushes are lost: the poll cron fetches those), the rep creates the contract
and submits it for review, the OA approver approves the process OA started and OA pushes the decision
(applied as the model method behind ``/wisdom_oa/decision`` after its signature check), the rep signs
(confirms): SAP gets the customer and the sales order, MES the planned order; reviewers and integration
admins get WeCom messages. The fakes of ``wisdom_sap_bridge/tests`` run on 127.0.0.1; ``--ratio`` of the
requests each one receives fail the way that system fails (``tests/fake_flapping.py``: 503, SAP's SOAP
Fault, connection reset, the work done but the reply lost or late past the client's timeout, WeCom's expired
token or "system busy"), and ``--down`` answers nothing at all for ``--outage-minutes`` from simulated
minute ``--outage-start`` (-1: its first request). Endpoints keep their retry settings; their timeout is
``--timeout`` seconds.

Simulated time: freezegun's clock is frozen at the start and moved by the soak, never slept. The
integration messages run as queue_job runs them: their job method (``_wisdom_job_send``), once each
is due (pending, or failed and its ``next_attempt_at`` back-off passed, WeCom's rate slot reached); the
resume cron and the PLM poll cron run at their configured intervals. Each round does what is due at
the clock's time (arrivals, people's steps, PLM's engineers, crons, due messages), then the clock moves
``--tick`` seconds, or jumps to the next due moment when nothing is due. So the back-off, the outage and
the recovery are in simulated minutes, while a failure that is a client timeout still takes
``--timeout`` real seconds. It runs until every demand is delivered or dead with no message left to
send, or ``--max-rounds`` / ``--max-hours`` (simulated) is reached.

Printed: the contracts, per system the messages (done, dead, calls, retries, resumed) and the fake's
requests and injected failures; **delivered / dead / duplicated** (delivered: signed, with the SAP and
MES numbers, material codes and OA processes the fakes hold for its references; dead: a message of its
e-flow is dead at the end; duplicated: a fake holds a second SAP order, PLM request, MES order or OA
process for its reference or item, counted on the fakes' side); the business actions refused (goal
0: a system that is down never blocks signing); the recovery after the outage (simulated time from the
system coming back until the last message that waited for it was done) next to the dashboard's figures;
wall-clock time. Everything runs in one transaction, rolled back at the end: the database is unchanged
(one soak at a time per database: a second one stops at once; other Odoo options, e.g. ``--db_host=...``,
are passed on to Odoo).
"""

import argparse
import random
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[2]
SYSTEMS = ("plm", "oa", "sap", "mes", "wecom")
EFLOW_SYSTEMS = ("plm", "oa", "sap", "mes")
CLOCK = {"perf_counter": time.perf_counter}  # the real clock: freezegun replaces module attributes only
INTERVAL_SECONDS = {"minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--conf", default=str(ROOT / "odoo.conf"))
    parser.add_argument("--contracts", type=int, default=500)
    parser.add_argument("--ratio", type=float, default=0.3, help="share of the requests each fake fails")
    parser.add_argument("--down", choices=SYSTEMS, default="sap", help="the system that is down for a while")
    parser.add_argument("--outage-minutes", type=float, default=10.0)
    parser.add_argument(
        "--outage-start", type=float, default=20.0, help="simulated minutes from the start; -1: at its first request"
    )
    parser.add_argument("--coding-minutes", type=float, default=5.0, help="PLM's engineers code a request after")
    parser.add_argument("--arrival-minutes", type=float, default=60.0, help="demands arrive over this many minutes")
    parser.add_argument("--timeout", type=int, default=1, help="seconds the endpoints wait for an answer")
    parser.add_argument("--tick", type=int, default=10, help="simulated seconds of one round")
    parser.add_argument("--max-rounds", type=int, default=20000)
    parser.add_argument("--max-hours", type=float, default=48.0, help="simulated hours")
    parser.add_argument("--seed", type=int, default=12)
    return parser.parse_known_args(argv)


class SimClock:
    """Simulated UTC time (naive, as Odoo stores it): freezegun frozen at ``start``, moved by the soak."""

    def __init__(self, start):
        import freezegun

        self.start = start
        self._freezer = freezegun.freeze_time(start)
        self._frozen = None

    def __enter__(self):
        self._frozen = self._freezer.start()
        return self

    def __exit__(self, *exc):
        self._freezer.stop()

    @property
    def now(self):
        return self._frozen().replace(microsecond=0)

    def minutes(self):
        return (self.now - self.start).total_seconds() / 60

    def seconds(self):
        """For the fakes' threads: seconds since the start."""
        return (self._frozen() - self.start).total_seconds()

    def move_to(self, when):
        self._frozen.move_to(when)


class EflowSoak:
    """The people, the systems and the crons of the e-flow, round by round in simulated time."""

    def __init__(self, env, clock, fakes, flappings, args):
        self.env, self.clock, self.fakes, self.flappings, self.args = env, clock, fakes, flappings, args
        self.Message = env["wisdom.integration.message"].sudo()
        self.first_message_id = (self.Message.search([], limit=1, order="id desc").id or 0) + 1
        self.demands = env["wisdom.contract.demand"]
        self.refused = Counter()
        self.refusals = {}
        self.rounds = 0
        self.arrived = 0
        self.outage = None  # (start, end) simulated seconds
        self.waiting_at_recovery = None  # messages of the down system not done when it came back
        self.crons = {}
        self.plm_seen = {}  # PLM request id → simulated second it was first seen in PLM
        self.pushes = Counter()
        self.push_random = random.Random(args.seed)
        self.started = CLOCK["perf_counter"]()
        self.reported_half_hours = -1

    # SETUP

    def configure(self):
        """The endpoints on the fakes (their retry settings kept), WeCom IDs for the people, the crons' plan."""
        from odoo.tools import SQL

        from odoo.addons.wisdom_sap_bridge.tests.common import SAP_PASSWORD, SAP_USER

        env, fakes = self.env, self.fakes
        common = {"active": True, "timeout": self.args.timeout}
        values = {
            "sap": {"base_url": fakes["sap"].url, "username": SAP_USER, "password": SAP_PASSWORD},
            "plm": {"base_url": fakes["plm"].url, "api_key": fakes["plm"].api_key},
            "mes": {"base_url": fakes["mes"].url, "api_key": fakes["mes"].api_key},
            "oa": {
                "base_url": fakes["oa"].url,
                "api_key": fakes["oa"].api_key,
                "inbound_token": "soak-oa-inbound-token-0123456789abcdef",
                "inbound_signing_secret": "soak-oa-signing-secret-0123456789abcdef",
            },
            "wecom": {
                "base_url": fakes["wecom"].url,
                "api_key": fakes["wecom"].corp_id,
                "api_secret": fakes["wecom"].secret,
                "wecom_agent_id": str(fakes["wecom"].agent_id),
            },
        }
        endpoints = env["wisdom.integration.endpoint"].browse(
            env.ref(f"wisdom_sap_bridge.endpoint_{system}").id for system in values
        )
        try:
            with env.cr.savepoint(flush=False):
                env.execute_query(
                    SQL(
                        "SELECT id FROM wisdom_integration_endpoint WHERE id IN %s FOR UPDATE NOWAIT",
                        tuple(endpoints.ids),
                    )
                )
        except psycopg2.errors.LockNotAvailable:
            sys.exit("Another soak (or a change of the endpoints) is running on this database: try again later.")
        for system, endpoint in zip(values, endpoints, strict=True):
            endpoint.write({**common, **values[system]})
        users = env["res.users"].search([("share", "=", False), ("wecom_userid", "=", False)])
        for user in users:
            user.wecom_userid = f"soak-{user.login}"
        for xmlid, method in (
            ("wisdom_sap_bridge.ir_cron_eflow_resume", self.Message._cron_wisdom_resume),
            ("wisdom_sap_bridge.ir_cron_plm_poll", env["wisdom.contract.demand.line"]._cron_wisdom_plm_poll),
        ):
            cron = env.ref(xmlid)
            every = cron.interval_number * INTERVAL_SECONDS[cron.interval_type]
            self.crons[xmlid] = [method, every, self.clock.now + timedelta(seconds=every)]
        if self.args.outage_start >= 0:
            self.start_outage(self.args.outage_start * 60)

    def parties(self):
        """Demo customers with their reps, the product manager, the contract admin, a standard meter."""
        env = self.env
        customers = env["res.partner"].search(
            [("wisdom_customer", "=", True), ("is_company", "=", True), ("user_id", "!=", False)], order="id"
        )
        return {
            "customers": customers,
            "pm": env.ref("wisdom_crm_base.user_pm_sun"),
            "contract_admin": env.ref("wisdom_crm_base.user_contract_zheng"),
            "meter": env.ref("wisdom_crm_base.product_meter_3p_direct"),
        }

    # THE PEOPLE

    def act(self, step, function, *args):
        """A person's step; refused (any error) is counted and left, as a person would be left with it."""
        try:
            with self.env.cr.savepoint():
                return function(*args) or True
        except Exception as error:  # noqa: BLE001 - counted and printed: the goal is none
            self.refused[step] += 1
            self.refusals.setdefault(step, f"{type(error).__name__}: {error}")
            return False

    def arrive(self, parties):
        """The demands due by now are entered, reviewed by the product manager and the contract admin."""
        from odoo.fields import Command

        spread = self.args.arrival_minutes * 60 / max(self.args.contracts, 1)
        due = min(self.args.contracts, int(self.clock.seconds() / spread) + 1 if spread else self.args.contracts)
        for index in range(self.arrived, due):
            customer = parties["customers"][index % len(parties["customers"])]
            rep = customer.user_id
            lines = [
                Command.create({"product_id": parties["meter"].id, "quantity": 20 + index % 7, "target_price": 560}),
                Command.create(
                    {
                        "name": f"Soak terminal {index:04d}",
                        "specification": "Ex d IIB T4",
                        "quantity": 5,
                        "target_price": 3000,
                    }
                ),
            ]
            demand = self.act(
                "enter demand",
                lambda c=customer, r=rep, ls=lines: (
                    self.env["wisdom.contract.demand"]
                    .with_user(r)
                    .with_company(r.company_id)
                    .create({"partner_id": c.id, "line_ids": ls})
                ),
            )
            if not demand:
                continue
            self.demands |= demand
            demand.sudo().write(
                {"product_manager_id": parties["pm"].id, "contract_admin_id": parties["contract_admin"].id}
            )
            as_pm = demand.with_user(parties["pm"])
            self.act("submit demand", demand.action_submit)
            standard, new = as_pm.line_ids
            self.act("accept item", standard.action_accept)
            self.act("mark new item", new.action_needs_code)
            self.act("approve demand (product manager)", as_pm.action_pm_approve)
            self.act(
                "approve demand (contract admin)", demand.with_user(parties["contract_admin"]).action_contract_approve
            )
        self.arrived = due
        return due

    def people_act(self):
        """Reps create, submit and sign contracts; OA's approvers approve the processes OA has."""
        acted = 0
        for demand in self.demands.filtered(lambda d: d.state == "planned"):
            acted += bool(self.act("create contract", self.create_contract, demand))
        orders = self.demands.order_ids
        for order in orders.filtered(lambda o: o.state in ("draft", "sent") and o.review_state == "pending"):
            for review in order.review_ids.filtered(lambda r: r.status == "pending"):
                acted += bool(self.act("approve in OA", self.approve_in_oa, review))
        for order in orders.filtered(lambda o: o.state in ("draft", "sent") and o.review_state == "approved"):
            acted += bool(self.act("sign contract", order.with_user(order.user_id).action_confirm))
        return acted

    def create_contract(self, demand):
        from odoo.fields import Command

        rep = demand.user_id
        action = demand.with_user(rep).action_create_contract()
        order = self.env["sale.order"].browse(action["res_id"]).with_user(rep)
        order.write(
            {
                "payment_term_line_ids": [
                    Command.create({"kind": "prepayment", "percent": 30}),
                    Command.create({"kind": "delivery", "percent": 70, "days": 30}),
                ]
            }
        )
        order.action_wisdom_submit_review()
        return order

    def approve_in_oa(self, review):
        """OA's approver decides the process OA holds for the review (the CRM may not know its id yet: a
        lost reply); OA pushes the decision."""
        fake = self.fakes["oa"]
        process_id = review.oa_reference and fake.by_reference(review.oa_reference)
        if not process_id or fake.processes[process_id]["status"] != "RUNNING":
            return False
        approver = review.reviewer_ids.filtered(lambda u: u.login != "admin")[:1] or review.reviewer_ids[:1]
        decided_at = (self.clock.now + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
        body = fake.decide(process_id, "APPROVED", approver=approver.login, comment="同意", decided_at=decided_at)
        endpoint = self.env.ref("wisdom_sap_bridge.endpoint_oa").sudo()
        message, _already = self.Message._wisdom_oa_receive(endpoint, body)
        if message.state != "done":
            raise RuntimeError(f"OA's decision was not applied: {message.last_error}")
        return True

    def plm_engineers(self):
        """PLM's engineers code each request ``--coding-minutes`` after it reached PLM; PLM pushes the code to
        the CRM (``/wisdom_plm/callback``), but ``--ratio`` of the pushes get lost: the poll cron fetches those."""
        fake = self.fakes["plm"]
        now = self.clock.seconds()
        for request_id in fake.request_ids():
            seen = self.plm_seen.setdefault(request_id, now)
            if fake.store[request_id]["status"] != "PENDING" or now - seen < self.args.coding_minutes * 60:
                continue
            fake.complete(request_id, f"WS-SOAK-{request_id[-5:]}")
            if self.push_random.random() < self.args.ratio:
                self.pushes["lost"] += 1
            else:
                self.act("PLM pushes a code", self.push_plm_code, request_id)

    def push_plm_code(self, request_id):
        """PLM's push, as the model method behind ``/wisdom_plm/callback`` takes it after the token check."""
        endpoint = self.env.ref("wisdom_sap_bridge.endpoint_plm").sudo()
        message, _already = self.Message._wisdom_plm_receive(endpoint, self.fakes["plm"]._answer_of(request_id))
        self.pushes["applied" if message.state == "done" else "not applied"] += 1
        return True

    # THE SYSTEMS

    def start_outage(self, at_seconds):
        if self.outage is None:
            self.outage = (at_seconds, at_seconds + self.args.outage_minutes * 60)
            self.flappings[self.args.down].down_between(*self.outage)

    def our_messages(self, domain=()):
        return self.Message.search([("id", ">=", self.first_message_id), *domain], order="id")

    def due_messages(self):
        now = self.clock.now
        due = self.Message
        for message in self.our_messages([("state", "in", ("pending", "failed"))]):
            if message.state == "failed":
                if message.next_attempt_at and message.next_attempt_at <= now:
                    due |= message
            else:
                eta = message._wisdom_job_eta()
                if not eta or eta <= now:
                    due |= message
        return due

    def run_messages(self):
        """The due messages' jobs, as queue_job performs them (a retry is the message's own back-off)."""
        from odoo.addons.queue_job.exception import RetryableJobError

        due = self.due_messages()
        for message in due:
            try:
                message._wisdom_job_send()
            except RetryableJobError:
                pass
        return len(due)

    def run_crons(self):
        for plan in self.crons.values():
            method, every, next_at = plan
            if self.clock.now >= next_at:
                method()
                plan[2] = next_at + timedelta(seconds=every)

    def watch_outage(self):
        """Start the outage on the down system's first request; note what waits for it when it is back."""
        flapping = self.flappings[self.args.down]
        if self.outage is None and flapping.requests:
            self.start_outage(self.clock.seconds())
        if self.outage and self.waiting_at_recovery is None and self.clock.seconds() >= self.outage[1]:
            self.waiting_at_recovery = self.our_messages(
                [
                    ("system", "=", self.args.down),
                    ("state", "in", ("pending", "running", "failed", "dead")),
                    ("last_attempt_at", "!=", False),
                ]
            )

    # ROUNDS

    def run(self):
        parties = self.parties()
        deadline = self.clock.start + timedelta(hours=self.args.max_hours)
        while self.rounds < self.args.max_rounds and self.clock.now < deadline:
            self.rounds += 1
            arrived_before = self.arrived
            self.arrive(parties)
            busy = self.arrived != arrived_before
            busy |= bool(self.people_act())
            self.plm_engineers()
            self.run_crons()
            self.watch_outage()
            busy |= bool(self.run_messages())
            self.watch_outage()
            self.env.flush_all()
            self.progress()
            if not busy and self.settled():
                break
            self.clock.move_to(self.next_moment(busy))

    def progress(self):
        """One line on stderr every simulated half hour."""
        minute = int(self.clock.minutes())
        if minute // 30 == self.reported_half_hours:
            return
        self.reported_half_hours = minute // 30
        states = Counter(self.demands.mapped("state"))
        open_messages = self.Message.search_count(
            [("id", ">=", self.first_message_id), ("state", "in", ("pending", "running", "failed"))]
        )
        wall = CLOCK["perf_counter"]() - self.started
        print(
            f"[{wall:6.0f} s] minute {minute}: round {self.rounds}, demands {dict(states)}, "
            f"open messages {open_messages}",
            file=sys.stderr,
            flush=True,
        )

    def settled(self):
        """Nothing left to send and no demand that can still move."""
        if self.arrived < self.args.contracts:
            return False
        if self.our_messages([("state", "in", ("pending", "running", "failed"))]):
            return False
        if self.resumable():
            return False
        verdicts = self.verdicts()
        return all(v != "stuck" for v in verdicts.values())

    def resumable(self):
        return self.our_messages(
            [("state", "=", "dead"), ("retries_exhausted", "=", True), ("system", "in", EFLOW_SYSTEMS)]
        )

    def next_moment(self, busy):
        now = self.clock.now
        step = now + timedelta(seconds=self.args.tick)
        if busy:
            return step
        moments = [plan[2] for plan in self.crons.values()]
        if self.arrived < self.args.contracts:
            return step
        if self.outage:
            moments += [self.clock.start + timedelta(seconds=s) for s in self.outage if s > self.clock.seconds()]
        for message in self.our_messages([("state", "in", ("pending", "failed"))]):
            when = message.next_attempt_at if message.state == "failed" else message._wisdom_job_eta()
            moments.append(when or now)
        plm = self.fakes["plm"].store
        moments += [
            self.clock.start + timedelta(seconds=seen + self.args.coding_minutes * 60)
            for request_id, seen in self.plm_seen.items()
            if plm[request_id]["status"] == "PENDING"
        ]
        return max(step, min(moments))

    # FIGURES

    def demand_messages(self, demand):
        """The messages of a demand's e-flow: material requests, OA processes, SAP order, MES order."""
        lines, orders = demand.line_ids.sudo(), demand.order_ids.sudo()
        return (
            lines.plm_message_id
            | orders.review_ids.oa_message_id
            | orders.sap_message_id
            | orders.mes_message_id
            | self.Message.search(
                [
                    ("system", "=", "sap"),
                    ("operation", "=", "customer_maintain"),
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", orders.partner_id.commercial_partner_id.ids),
                    ("id", ">=", self.first_message_id),
                ]
            )
        )

    def delivered(self, demand):
        """Signed, and the CRM holds what the fakes hold for its references."""
        fakes = self.fakes
        order = demand.order_ids.sudo()[:1]
        if demand.state != "done" or not order or order.state != "sale":
            return False
        items = demand.line_ids.sudo().filtered("was_coded")
        plm_codes = {item["externalRef"]: item.get("materialCode") for item in fakes["plm"].store.values()}
        if not items or any(
            plm_codes.get(f"WISDOM-DL{line.id}-{line.plm_round}") != line.material_code for line in items
        ):
            return False
        reviews = order.review_ids
        if not reviews or any(
            r.status != "approved" or r.oa_process_id != fakes["oa"].by_reference(r.oa_reference) for r in reviews
        ):
            return False
        return (
            bool(order.sap_order_no)
            and fakes["sap"].orders.get(order.contract_no) == order.sap_order_no
            and bool(order.mes_order_no)
            and fakes["mes"].by_reference(order.contract_no) == order.mes_order_no
        )

    def duplicated(self):
        """Demands for which a fake created a second object for the same reference (or PLM item)."""
        fakes = self.fakes
        sap = Counter(reference for reference, _number in fakes["sap"].created)
        mes = Counter(body["externalRef"] for body in fakes["mes"].orders.values())
        oa = Counter(item["externalRef"] for item in fakes["oa"].processes.values())
        plm = Counter(item["externalRef"].rsplit("-", 1)[0] for item in fakes["plm"].store.values())
        found = {}
        for demand in self.demands:
            orders = demand.order_ids.sudo()
            twice = [f"PLM {ref}" for line in demand.line_ids if plm[ref := f"WISDOM-DL{line.id}"] > 1]
            twice += [f"SAP {o.contract_no}" for o in orders if o.contract_no and sap[o.contract_no] > 1]
            twice += [f"MES {o.contract_no}" for o in orders if o.contract_no and mes[o.contract_no] > 1]
            twice += [f"OA {r.oa_reference}" for r in orders.review_ids if r.oa_reference and oa[r.oa_reference] > 1]
            if twice:
                found[demand] = twice
        return found

    def verdicts(self):
        """``{demand: "delivered" | "dead" | "stuck"}``"""
        verdicts = {}
        for demand in self.demands:
            if self.delivered(demand):
                verdicts[demand] = "delivered"
            elif self.demand_messages(demand).filtered(lambda m: m.state == "dead"):
                verdicts[demand] = "dead"
            else:
                verdicts[demand] = "stuck"
        return verdicts

    def recovery(self):
        """Simulated seconds from the down system coming back until each message waiting for it was done, sorted
        (None: one of them is not done), and how many waited."""
        if not self.outage or self.waiting_at_recovery is None:
            return None, 0
        waiting = self.waiting_at_recovery
        if not waiting:
            return [], 0
        if waiting.filtered(lambda m: m.state != "done"):
            return None, len(waiting)
        back = self.clock.start + timedelta(seconds=self.outage[1])
        return sorted((m.done_at - back).total_seconds() for m in waiting), len(waiting)

    def report(self, started):
        out = []
        verdicts = self.verdicts()
        counts = Counter(verdicts.values())
        duplicated = self.duplicated()
        messages = self.our_messages()
        out.append(
            f"contracts: {len(self.demands)} demands entered, {len(self.demands.order_ids)} contracts, "
            f"{len(self.demands.order_ids.filtered(lambda o: o.state == 'sale'))} signed; "
            f"{self.rounds} rounds, {self.clock.minutes():.0f} simulated minutes"
        )
        out.append(
            f"flapping {self.args.ratio * 100:.0f} %, {self.args.down} down {self.args.outage_minutes:g} min"
            + (f" from minute {self.outage[0] / 60:.1f}" if self.outage else " (never reached)")
        )
        header = f"{'system':<7}{'messages':>9}{'done':>6}{'dead':>6}{'open':>6}{'calls':>7}{'failed':>7}"
        out.append(header + f"{'retries':>8}{'resumed':>8}  fake: requests, failures injected")
        for system in SYSTEMS:
            mine = messages.filtered(lambda m, s=system: m.system == s and m.direction == "outbound")
            states = Counter(mine.mapped("state"))
            calls, failed = sum(mine.mapped("total_attempts")), sum(mine.mapped("failed_attempts"))
            flapping = self.flappings[system]
            injected = ", ".join(f"{kind} {n}" for kind, n in sorted(flapping.injected.items()))
            out.append(
                f"{system:<7}{len(mine):>9}{states['done']:>6}{states['dead']:>6}"
                f"{len(mine) - states['done'] - states['dead']:>6}{calls:>7}{failed:>7}"
                f"{calls - len(mine.filtered('total_attempts')):>8}{sum(mine.mapped('resumed_count')):>8}"
                f"  {flapping.requests}, {sum(flapping.injected.values())} ({injected or '-'})"
            )
        inbound = Counter((m.system, m.operation, m.state) for m in messages if m.direction == "inbound")
        out.append(
            "inbound (pushed to the CRM): "
            + (", ".join(f"{s} {o} {state} {n}" for (s, o, state), n in sorted(inbound.items())) or "none")
            + f"; PLM's pushes of codes: {self.pushes['applied']} applied, {self.pushes['not applied']} not applied, "
            f"{self.pushes['lost']} lost on the way (the poll fetched those)"
        )
        out.append(
            f"goal (delivered / dead / duplicated): {counts['delivered']} / {counts['dead']} / {len(duplicated)}"
            + (f"; stuck {counts['stuck']}" if counts["stuck"] else "")
        )
        for demand, verdict in verdicts.items():
            if verdict != "delivered" and len(out) < 60:
                errors = self.demand_messages(demand).filtered(lambda m: m.state == "dead").mapped("last_error")
                out.append(f"  {demand.name} {verdict} at {demand.state}: {'; '.join(errors)[:200]}")
        for demand, twice in list(duplicated.items())[:10]:
            out.append(f"  {demand.name} duplicated: {', '.join(twice)}")
        for message in messages.filtered(lambda m: m.state == "dead")[:10]:
            out.append(
                f"  dead {message.system} {message.operation} #{message.id} after {message.attempts} attempt(s)"
                f"{' (retries exhausted)' if message.retries_exhausted else ''}: {(message.last_error or '')[:160]}"
            )
        refused = sum(self.refused.values())
        out.append(f"business actions refused: {refused}")
        for step, count in self.refused.items():
            out.append(f"  {step}: {count} ({self.refusals[step][:200]})")
        seconds, waited = self.recovery()
        figures = self.Message.wisdom_dashboard_data().get(self.args.down, {})
        if self.outage is None or seconds is None:
            recovery = "not reached" if self.outage is None else "not recovered"
        elif not seconds:
            recovery = "0.0 simulated min"
        else:
            recovery = (
                f"{seconds[-1] / 60:.1f} simulated min (median {seconds[len(seconds) // 2] / 60:.1f}, 90 % within "
                f"{seconds[int(len(seconds) * 0.9) - 1 if len(seconds) >= 10 else -1] / 60:.1f})"
            )
        out.append(
            f"recovery after the {self.args.down} outage: {recovery} ({waited} messages waited); dashboard "
            f"{self.args.down}: longest recovery {figures.get('recovery_max_hours', 0) * 60:.1f} min, mean "
            f"{figures.get('recovery_mean_hours', 0) * 60:.1f} min over {figures.get('recovery_count', 0)} "
            f"recoveries, failure rate 24 h {figures.get('failure_rate_24h', 0) * 100:.1f} %"
        )
        out.append(f"wall clock: {CLOCK['perf_counter']() - started:.1f} s")
        return "\n".join(out)


def main(argv=None):
    args, odoo_args = parse_args(argv)
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db, "--log-level=warn", *odoo_args])
    from odoo.addons.wisdom_sap_bridge.tests.common import SAP_PASSWORD, SAP_USER
    from odoo.addons.wisdom_sap_bridge.tests.fake_flapping import Flapping
    from odoo.addons.wisdom_sap_bridge.tests.fake_mes import FakeMes
    from odoo.addons.wisdom_sap_bridge.tests.fake_oa import FakeOa
    from odoo.addons.wisdom_sap_bridge.tests.fake_plm import FakePlm
    from odoo.addons.wisdom_sap_bridge.tests.fake_sap import FakeSap
    from odoo.addons.wisdom_sap_bridge.tests.fake_wecom import FakeWecom

    started = CLOCK["perf_counter"]()
    registry = Registry(args.db)
    fakes = {
        "sap": FakeSap(SAP_USER, SAP_PASSWORD),
        "plm": FakePlm(),
        "mes": FakeMes(),
        "oa": FakeOa(),
        "wecom": FakeWecom(),
    }
    for fake in fakes.values():
        fake.__enter__()
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            with SimClock(odoo.fields.Datetime.now()) as clock:
                flappings = {
                    system: Flapping(
                        fake, system, args.ratio, seed=args.seed + i, client_timeout=args.timeout, clock=clock.seconds
                    )
                    for i, (system, fake) in enumerate(fakes.items())
                }
                soak = EflowSoak(env, clock, fakes, flappings, args)
                soak.configure()
                soak.run()
                print(soak.report(started))
            cr.rollback()
    finally:
        for fake in fakes.values():
            fake.__exit__(None, None, None)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
