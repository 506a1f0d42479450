"""The demand's e-flow (pure Python): which step is current, who or which system it waits for, since
when, what the detail says, and that the timeline escapes every text."""

import unittest
from datetime import datetime, timedelta

from odoo.addons.wisdom_sap_bridge.tools import eflow

T0 = datetime(2026, 5, 4, 9, 0)


def at(hours):
    return T0 + timedelta(hours=hours)


DATES = {
    "draft": at(0),
    "pm_review": at(1),
    "contract_review": at(2),
    "coding": at(3),
    "planned": at(5),
    "done": at(6),
}


def demand(state, upto=None, **values):
    """A demand at ``state`` that entered every step up to ``upto`` (default: ``state``)."""
    upto = upto or state
    order = list(eflow.DEMAND_ORDER)
    dates = {s: DATES[s] for s in order[: order.index(upto) + 1]} if upto in order else dict(DATES)
    base = {
        "state": state,
        "created_at": at(0),
        "state_dates": dates,
        "rep": "Rep A1",
        "product_manager": "PM",
        "contract_admin": "Admin",
        "has_new_items": True,
        "connected": frozenset({"plm", "sap", "mes"}),
    }
    base.update(values)
    return eflow.DemandFacts(**base)


def message(state, system="plm", **values):
    return eflow.MessageFacts(id=values.pop("id", 7), system=system, state=state, created_at=at(3), **values)


def contract(state="sale", **values):
    return eflow.ContractFacts(id=3, name="HT-1", state=state, created_at=at(6), signed_at=at(8), **values)


def by_key(steps):
    return {step.key: step for step in steps}


class TestDemandSteps(unittest.TestCase):
    def test_seven_steps_in_order(self):
        steps = eflow.steps(demand("draft"))
        self.assertEqual([s.key for s in steps], list(eflow.STEPS))
        self.assertEqual([s.status for s in steps], ["current"] + ["todo"] * 6)
        self.assertEqual((steps[0].who, steps[0].since, steps[0].detail), ("Rep A1", at(0), "submit"))
        self.assertEqual(eflow.waiting_for(steps), ("person", at(0), False))

    def test_each_review_waits_for_its_person_since_it_began(self):
        for state, who in (("pm_review", "PM"), ("contract_review", "Admin")):
            with self.subTest(state=state):
                step = by_key(eflow.steps(demand(state)))[state]
                self.assertEqual((step.status, step.who, step.since), ("current", who, DATES[state]))
                self.assertEqual(by_key(eflow.steps(demand(state)))["draft"].since, at(1), "done when submitted")

    def test_no_new_item_skips_the_material_codes(self):
        steps = by_key(eflow.steps(demand("planned", has_new_items=False)))
        self.assertEqual((steps["coding"].status, steps["coding"].detail), ("skipped", "skipped_no_new_item"))
        self.assertEqual(steps["contract_review"].since, at(3), "done when it moved on")
        self.assertEqual((steps["planned"].status, steps["planned"].detail), ("current", "create_contract"))
        at_review = by_key(eflow.steps(demand("contract_review", has_new_items=False)))
        self.assertEqual(at_review["coding"].status, "skipped", "known once the product manager decided")
        at_pm = by_key(eflow.steps(demand("pm_review", has_new_items=False)))
        self.assertEqual(at_pm["coding"].status, "todo", "the product manager may still mark a new item")

    def test_rejected_goes_back_to_the_rep_at_the_step_it_was_rejected(self):
        facts = demand(
            "rejected",
            upto="contract_review",
            rejected_state="contract_review",
            reason="Price too low",
            state_dates={"draft": at(0), "pm_review": at(1), "contract_review": at(2), "rejected": at(4)},
        )
        steps = by_key(eflow.steps(facts))
        self.assertEqual(steps["pm_review"].status, "done")
        step = steps["contract_review"]
        self.assertEqual((step.status, step.who, step.since), ("current", "Rep A1", at(4)))
        self.assertEqual((step.detail, step.params), ("rejected", {"reason": "Price too low"}))
        self.assertEqual(steps["coding"].status, "todo")

    def test_cancelled_skips_the_rest(self):
        facts = demand("cancel", upto="pm_review", reason="No budget")
        facts = eflow.DemandFacts(**{**facts.__dict__, "state_dates": {**facts.state_dates, "cancel": at(2)}})
        steps = eflow.steps(facts)
        self.assertEqual(
            [s.status for s in steps], ["done", "skipped", "skipped", "skipped", "skipped"] + ["skipped"] * 2
        )
        self.assertEqual((steps[1].detail, steps[1].since), ("cancelled", at(2)))
        self.assertEqual(eflow.waiting_for(steps), ("", None, False))


class TestMaterialCodes(unittest.TestCase):
    def coding(self, *requests):
        return by_key(eflow.steps(demand("coding", code_requests=requests)))["coding"]

    def test_requested_codes_wait_for_plm(self):
        step = self.coding(
            eflow.CodeRequest("Terminal", "requested", at(3.5), message=message("done")),
            eflow.CodeRequest("Cabinet", "coded", at(4)),
        )
        self.assertEqual((step.status, step.system, step.since), ("waiting", "plm", at(3)))
        self.assertEqual((step.detail, step.params), ("plm_requested", {"count": 1}))

    def test_plm_down_waits_with_the_next_attempt(self):
        down = message("failed", attempts=2, first_failure_at=at(3.1), next_attempt_at=at(3.3), last_error="HTTP 503")
        step = self.coding(eflow.CodeRequest("Terminal", "queued", at(3), message=down))
        self.assertEqual((step.status, step.system, step.detail, step.message_id), ("waiting", "plm", "down", 7))
        self.assertEqual(step.params, {"first_failure": at(3.1), "attempt": 3, "next_at": at(3.3), "error": "HTTP 503"})

    def test_dead_while_down_still_waits_and_resumes(self):
        gone = message("dead", attempts=3, first_failure_at=at(3.1), retries_exhausted=True, last_error="refused")
        step = self.coding(eflow.CodeRequest("Terminal", "failed", at(3.4), error="refused", message=gone))
        self.assertEqual((step.status, step.detail, step.params["attempts"]), ("waiting", "down_resume", 3))
        self.assertEqual(eflow.waiting_for([step]), ("plm", at(3), False))

    def test_refused_request_is_a_dead_letter(self):
        refused = message("dead", attempts=1, last_error="PLM refused the credential (HTTP 401)")
        step = self.coding(eflow.CodeRequest("Terminal", "failed", at(3.4), message=refused))
        self.assertEqual((step.status, step.system, step.message_id), ("dead", "plm", 7))
        self.assertIn("HTTP 401", step.params["error"])
        self.assertEqual(eflow.waiting_for([step]), ("plm", at(3), True))

    def test_without_plm_or_after_a_rejection_the_product_manager_acts(self):
        step = self.coding(eflow.CodeRequest("Terminal", "to_request", at(3)))
        self.assertEqual((step.status, step.who, step.detail), ("current", "PM", "enter_codes"))
        step = self.coding(eflow.CodeRequest("Terminal", "to_request", at(3), error="PLM rejected R1: duplicate"))
        self.assertEqual((step.detail, step.params["error"]), ("plm_rejected", "PLM rejected R1: duplicate"))


class TestContractAndSystems(unittest.TestCase):
    def done(self, order):
        return by_key(eflow.steps(demand("done", contract=order)))

    def test_contract_in_review_waits_for_the_reviewers(self):
        steps = self.done(contract("draft", review_state="pending", review_since=at(7), reviewers=("Director",)))
        step = steps["planned"]
        self.assertEqual((step.status, step.who, step.since, step.contract_id), ("current", "Director", at(7), 3))
        self.assertEqual(steps["sap"].status, "todo")

    def test_contract_approvals_in_oa_wait_for_oa(self):
        oa = message("failed", system="oa", id=9, attempts=1, first_failure_at=at(7), next_attempt_at=at(7.1))
        step = self.done(contract("draft", review_state="pending", review_since=at(7), oa_message=oa))["planned"]
        self.assertEqual((step.status, step.system, step.detail, step.message_id), ("waiting", "oa", "down", 9))

    def test_approval_running_in_oa_waits_for_oa(self):
        oa = message("done", system="oa", id=9, done_at=at(7.1))
        order = contract("draft", review_state="pending", review_since=at(7), reviewers=("Director",), oa_message=oa)
        step = self.done(order)["planned"]
        self.assertEqual((step.status, step.system, step.detail, step.since), ("waiting", "oa", "oa_approval", at(7)))
        self.assertEqual(step.params, {"reviewers": "Director"})

    def test_contract_not_submitted_blocked_or_rejected_goes_back_to_the_rep(self):
        for state, detail in (
            ("draft", "submit_review"),
            ("blocked", "contract_review_blocked"),
            ("rejected", "contract_review_rejected"),
            ("approved", "sign"),
        ):
            with self.subTest(state=state):
                step = self.done(contract("draft", review_state=state))["planned"]
                self.assertEqual((step.status, step.who, step.detail), ("current", "Rep A1", detail))

    def test_signed_contract_waits_for_sap_and_mes(self):
        steps = self.done(
            contract(
                sap_message=message("pending", system="sap", id=11),
                mes_number="MO-1",
                mes_message=message("done", system="mes", id=12, done_at=at(8.5)),
            )
        )
        self.assertEqual((steps["planned"].status, steps["planned"].since), ("done", at(8)))
        self.assertEqual((steps["sap"].status, steps["sap"].detail, steps["sap"].message_id), ("waiting", "queued", 11))
        self.assertEqual(
            (steps["mes"].status, steps["mes"].params, steps["mes"].since), ("done", {"number": "MO-1"}, at(8.5))
        )
        self.assertEqual(eflow.waiting_for(eflow.steps(demand("done", contract=contract(
            sap_message=message("pending", system="sap", id=11))))), ("sap", at(3), False))  # fmt: skip

    def test_sap_refusal_is_a_dead_letter_and_mes_not_connected_is_skipped(self):
        refused = message("dead", system="sap", id=11, attempts=1, last_error="SAP refused the request")
        facts = demand("done", contract=contract(sap_message=refused), connected=frozenset({"sap"}))
        steps = by_key(eflow.steps(facts))
        self.assertEqual((steps["sap"].status, steps["sap"].message_id), ("dead", 11))
        self.assertEqual((steps["mes"].status, steps["mes"].detail), ("skipped", "not_connected"))
        self.assertTrue(eflow.waiting_for(list(steps.values()))[2])

    def test_everything_done_ends_the_flow(self):
        steps = eflow.steps(demand("done", contract=contract(sap_number="4500001", mes_number="MO-1")))
        self.assertEqual({s.status for s in steps}, {"done"})
        self.assertIsNone(eflow.current(steps))

    def test_stuck(self):
        self.assertTrue(eflow.stuck(at(0), at(25), 24))
        self.assertFalse(eflow.stuck(at(0), at(23), 24))
        self.assertFalse(eflow.stuck(None, at(23), 24))


class TestRender(unittest.TestCase):
    def test_every_text_is_escaped_and_links_stay_on_the_server(self):
        html = eflow.render_html(
            [
                eflow.Row(
                    status="dead",
                    label="SAP <b>",
                    status_label="Dead",
                    actor="<script>alert(1)</script>",
                    since="since 5/4",
                    detail='Dead letter: "><img src=x onerror=alert(1)>',
                    links=(
                        ("Open", "/odoo/wisdom.integration.message/7"),
                        ("Evil", "javascript:alert(1)"),
                        ("X", "//x"),
                    ),
                )
            ]
        )
        self.assertNotIn("<script>", html)
        self.assertNotIn("<img", html)
        self.assertIn("&lt;script&gt;", html)
        self.assertIn("SAP &lt;b&gt;", html)
        self.assertIn('<a href="/odoo/wisdom.integration.message/7">Open</a>', html)
        self.assertNotIn("javascript:", html)
        self.assertNotIn('href="//x"', html)
        self.assertIn("fa-exclamation-triangle", html)
