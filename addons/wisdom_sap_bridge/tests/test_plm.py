"""PLM material codes: a demand's new items are requested from PLM (request id at once), the code comes
by callback or poll and lands on the item and its product, whatever step the demand is at; 404, 409,
a refused key, a bad callback token and PLM being down are handled without blocking the demand."""

import json
from unittest.mock import patch

import requests

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import PLM_CALLBACK_TOKEN, OwnCursorJobsMixin, SapBridgeCase


@tagged("post_install", "-at_install")
class TestPlmMaterialCodes(OwnCursorJobsMixin, HttpCase, SapBridgeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Line = cls.env["wisdom.contract.demand.line"]

    def push(self, body, token=PLM_CALLBACK_TOKEN):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        response = self.url_open("/wisdom_plm/callback", data=data, headers=headers)
        return response.status_code, response.json()

    def requested_demand(self, **kwargs):
        demand, lines, trap = self.coding_demand(**kwargs)
        self.run_jobs(trap)
        self.assertEqual(lines.mapped("plm_state"), ["requested"] * len(lines))
        return demand, lines

    def poll(self):
        with trap_jobs() as trap:
            self.Line._cron_wisdom_plm_poll()
        self.run_jobs(trap)
        return trap

    # REQUEST

    def test_request_stores_the_request_id(self):
        demand, lines, trap = self.coding_demand()
        self.assertEqual(demand.state, "coding", "the demand moved on; PLM answers later")
        self.assertEqual(lines.mapped("plm_state"), ["queued", "queued"])
        self.assertEqual(demand.line_ids[0].plm_state, False, "a standard item needs no code")
        self.run_jobs(trap)
        self.assertEqual(lines.mapped("plm_state"), ["requested", "requested"])
        self.assertEqual(sorted(lines.mapped("plm_request_id")), sorted(self.plm.request_ids()))
        for line in lines:
            sent = self.plm.store[line.plm_request_id]["body"]
            self.assertEqual(sent["externalRef"], f"WISDOM-DL{line.id}-1")
            self.assertEqual(
                (sent["name"], sent["specification"], sent["demandNo"]), (line.name, "Ex d IIB T4", demand.name)
            )
            self.assertTrue(line.plm_state_since)
        self.assertTrue(demand.plm_waiting)
        self.assertIn(demand, self.env["wisdom.contract.demand"].search([("plm_waiting", "=", True)]))
        self.assertTrue(any("Material codes requested from PLM" in body for body in demand.message_ids.mapped("body")))
        # asking again while the requests are pending: nothing to request
        with self.assertRaisesRegex(UserError, "No new item"):
            demand.with_user(self.product_manager).action_wisdom_plm_request()

    def test_request_answered_409_takes_the_existing_request(self):
        demand, lines, trap = self.coding_demand(new_items=("Explosion-proof terminal",))
        existing = self.plm.seed(f"WISDOM-DL{lines.id}-1")
        self.run_jobs(trap)
        self.assertEqual((lines.plm_state, lines.plm_request_id), ("requested", existing))
        self.assertEqual(self.plm.count(status=409), 1)
        self.assertTrue(lines.sudo().plm_message_id.wisdom_response()["duplicate"])

    def test_request_with_a_refused_key_fails_visibly_and_is_retried_by_the_admin(self):
        self.plm_endpoint.api_key = "wrong-key"
        demand, lines, trap = self.coding_demand(new_items=("Explosion-proof terminal",))
        self.run_jobs(trap)
        message = lines.sudo().plm_message_id
        self.assertEqual((message.state, message.http_status), ("dead", 401))
        self.assertEqual(lines.plm_state, "failed")
        self.assertIn("HTTP 401", lines.plm_error)
        self.plm_endpoint.api_key = self.plm.api_key
        with trap_jobs() as trap:
            message.with_user(self.integration_admin).action_retry()
        self.assertEqual(lines.plm_state, "queued")
        self.run_jobs(trap)
        self.assertEqual(lines.plm_state, "requested")

    def test_plm_down_retries_and_blocks_nothing(self):
        self.plm.fail_next(1, status=503)
        demand, lines, trap = self.coding_demand(new_items=("Explosion-proof terminal",))
        self.assertEqual(demand.state, "coding")
        message = lines.sudo().plm_message_id
        with patch.object(requests, "request", side_effect=requests.exceptions.ReadTimeout("read timed out")):
            self.perform_jobs_round(trap)
        self.env.invalidate_all()
        self.assertEqual((message.state, lines.plm_state), ("failed", "queued"))
        self.perform_jobs_round(trap)  # 503
        self.env.invalidate_all()
        self.assertEqual((message.state, message.http_status, message.attempts), ("failed", 503, 2))
        self.run_jobs(trap)
        self.assertEqual((message.state, lines.plm_state), ("done", "requested"))
        self.assertEqual(len(self.plm.store), 1, "one request in PLM")
        # the product manager can still enter the code by hand meanwhile
        lines.with_user(self.product_manager).material_code = "WS-HAND-1"
        demand.with_user(self.product_manager).action_coding_done()
        self.assertEqual(demand.state, "planned")

    def test_no_active_endpoint_leaves_the_codes_to_the_product_manager(self):
        self.plm_endpoint.active = False
        demand, lines, trap = self.coding_demand(new_items=("Explosion-proof terminal",))
        self.assertFalse(trap.enqueued_jobs)
        self.assertEqual((demand.state, lines.plm_state), ("coding", "to_request"))
        with self.assertRaisesRegex(UserError, "No active PLM endpoint"):
            demand.with_user(self.product_manager).action_wisdom_plm_request()

    # CALLBACK

    def test_callback_writes_the_code_onto_the_item_and_the_demand_moves_on(self):
        demand, lines = self.requested_demand()
        first, second = lines
        status, body = self.push({"requestId": first.plm_request_id, "status": "DONE", "materialCode": "WS-EX-0001"})
        self.assertEqual((status, body["state"], body["already_received"]), (200, "done", False))
        self.env.invalidate_all()
        self.assertEqual((first.material_code, first.plm_state), ("WS-EX-0001", "coded"))
        self.assertEqual(demand.state, "coding", "still waiting for the second code")
        status, body = self.push({"requestId": second.plm_request_id, "status": "DONE", "materialCode": "WS-EX-0002"})
        self.assertEqual(status, 200)
        self.env.invalidate_all()
        self.assertEqual(demand.state, "planned", "every code arrived: coding is done by itself")
        self.assertEqual(lines.mapped("product_id.default_code"), ["WS-EX-0001", "WS-EX-0002"])
        self.assertFalse(demand.plm_waiting)
        # the same callback again is answered and applied once
        status, body = self.push({"requestId": second.plm_request_id, "status": "DONE", "materialCode": "WS-EX-0002"})
        self.assertEqual((status, body["already_received"]), (200, True))

    def test_code_arriving_after_the_demand_moved_on_lands_on_the_right_line(self):
        demand, lines = self.requested_demand()
        other, other_lines = self.requested_demand(new_items=("Concentrator",))
        # the product manager did not wait: codes typed by hand, products created, demand planned
        for number, line in enumerate(lines, 1):
            line.with_user(self.product_manager).material_code = f"HAND-{number}"
        demand.with_user(self.product_manager).action_coding_done()
        self.assertEqual(demand.state, "planned")
        target = lines[1]
        self.assertEqual(target.product_id.default_code, "HAND-2")
        status, body = self.push({"requestId": target.plm_request_id, "status": "DONE", "materialCode": "WS-EX-0042"})
        self.assertEqual((status, body["result"]["demand"]), (200, demand.name))
        self.env.invalidate_all()
        self.assertEqual((target.material_code, target.product_id.default_code), ("WS-EX-0042", "WS-EX-0042"))
        self.assertEqual(lines[0].material_code, "HAND-1")
        self.assertEqual(demand.state, "planned")
        self.assertFalse(other_lines.material_code)
        self.assertEqual(other_lines.plm_state, "requested")
        self.assertIn("WS-EX-0042", demand.message_ids[0].body)
        # a rejected demand's item still gets its code
        other.sudo().reason = "Customer postponed"
        other.with_user(self.contract_admin).action_reject()
        status, _body = self.push({"requestId": other_lines.plm_request_id, "materialCode": "WS-CON-7"})
        self.assertEqual(status, 200)
        self.env.invalidate_all()
        self.assertEqual((other.state, other_lines.material_code), ("rejected", "WS-CON-7"))

    def test_callback_rejected_puts_the_item_back_to_request(self):
        demand, lines = self.requested_demand(new_items=("Explosion-proof terminal",))
        request_id = lines.plm_request_id
        status, _body = self.push({"requestId": request_id, "status": "REJECTED", "message": "use WS-EX-0001"})
        self.assertEqual(status, 200)
        self.env.invalidate_all()
        self.assertEqual((lines.plm_state, lines.plm_request_id), ("to_request", False))
        self.assertIn("use WS-EX-0001", lines.plm_error)
        self.assertIn("use WS-EX-0001", demand.message_ids[0].body)

    def test_callback_token_body_and_unknown_request(self):
        messages = self.Message.search_count([])
        for token in (None, "wrong", PLM_CALLBACK_TOKEN[:-1]):
            with self.subTest(token=token):
                status, body = self.push({"requestId": "X", "materialCode": "Y"}, token=token)
                self.assertEqual((status, body["error"]), (401, "unauthorized"))
        self.assertEqual(self.Message.search_count([]), messages, "nothing recorded")
        self.assertEqual(self.push(b"{oops")[0], 400)
        self.assertEqual(self.push({"materialCode": "Y"})[0], 400)
        status, body = self.push({"requestId": "PLM-REQ-99999", "materialCode": "Y"})
        self.assertEqual((status, body["state"]), (202, "dead"))
        self.assertIn("PLM-REQ-99999", body["error"], "no item waits for it (in the public user's language)")

    # POLL

    def test_poll_reads_the_code(self):
        demand, lines = self.requested_demand()
        first, second = lines
        self.plm.complete(first.plm_request_id, "WS-EX-0100")
        self.poll()
        self.assertEqual((first.material_code, first.plm_state), ("WS-EX-0100", "coded"))
        self.assertEqual((second.material_code, second.plm_state), (False, "requested"))
        self.plm.complete(second.plm_request_id, "WS-EX-0101")
        self.poll()
        self.assertEqual(demand.state, "planned")
        self.assertEqual(lines.mapped("product_id.default_code"), ["WS-EX-0100", "WS-EX-0101"])
        trap = self.poll()
        self.assertFalse(trap.enqueued_jobs, "nothing left to poll")

    def test_poll_404_puts_the_item_back_to_request_with_the_reason(self):
        demand, lines = self.requested_demand(new_items=("Explosion-proof terminal",))
        lost = lines.plm_request_id
        self.plm.forget(lost)
        self.poll()
        self.assertEqual((lines.plm_state, lines.plm_request_id), ("to_request", False))
        self.assertIn(f"PLM does not know request {lost}", demand.message_ids[0].body)
        # the product manager asks again: a new key, a new request id
        with trap_jobs() as trap:
            demand.with_user(self.product_manager).action_wisdom_plm_request()
        self.run_jobs(trap)
        self.assertEqual(lines.plm_state, "requested")
        self.assertNotEqual(lines.plm_request_id, lost)
        self.assertEqual(self.plm.store[lines.plm_request_id]["externalRef"], f"WISDOM-DL{lines.id}-2")

    def test_poll_while_plm_is_down_is_retried(self):
        demand, lines = self.requested_demand(new_items=("Explosion-proof terminal",))
        self.plm.complete(lines.plm_request_id, "WS-EX-0200")
        self.plm.fail_next(2, status=502)
        self.poll()
        self.assertEqual(lines.material_code, "WS-EX-0200")
        self.assertEqual(self.plm.count(status=502), 2)

    # ROLES

    def test_roles(self):
        demand, lines = self.requested_demand(new_items=("Explosion-proof terminal",))
        for user in (self.rep_a1, self.manager_a, self.product_manager, self.contract_admin):
            with self.subTest(user=user.login):
                values = lines.with_user(user).read(["plm_state", "plm_request_id", "plm_state_since"])[0]
                self.assertEqual(values["plm_state"], "requested")
                with self.assertRaises(AccessError):
                    lines.with_user(user).read(["plm_message_id"])
        with self.assertRaises(AccessError):
            demand.with_user(self.rep_a1).action_wisdom_plm_request()
        with self.assertRaises(AccessError):
            lines.with_user(self.rep_b1).read(["plm_state"])
        with self.assertRaises(AccessError):
            self.plm_endpoint.with_user(self.product_manager).read(["inbound_token"])
        self.assertEqual(self.plm_endpoint.with_user(self.integration_admin).inbound_token, PLM_CALLBACK_TOKEN)
        with self.assertRaisesRegex(UserError, "cannot be exported"):
            self.plm_endpoint.with_user(self.integration_admin).export_data(["inbound_token"])
