import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from odoo.tests import HttpCase, tagged

from odoo.addons.wisdom_contract.tests.common import WisdomContractCase

SCRIPT = Path(__file__).resolve().parents[3] / "docs" / "api" / "json2_examples.py"


@tagged("post_install", "-at_install")
class TestJson2Examples(HttpCase, WisdomContractCase):
    """The README's JSON-2 examples (docs/api/json2_examples.py) run against the live test server."""

    def _key(self, user):
        return (
            self.env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "README examples", datetime.now() + timedelta(days=1))
        )

    def test_readme_examples_run(self):
        self.assertTrue(SCRIPT.exists(), SCRIPT)
        keys = [self._key(user) for user in (self.rep_a1, self.director, self.finance)]
        # the script is another process: let the test server take its requests (they carry no test cookie)
        with self.allow_requests(all_requests=True):
            process = subprocess.run(
                [
                    sys.executable,
                    str(SCRIPT),
                    "--url",
                    self.base_url(),
                    "--db",
                    self.env.cr.dbname,
                    "--rep-key",
                    keys[0],
                    "--director-key",
                    keys[1],
                    "--finance-key",
                    keys[2],
                    "--product-id",
                    str(self.meter.id),
                    "--json",
                ],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        self.assertEqual(process.returncode, 0, process.stderr[-2000:] + process.stdout[-2000:])
        result = json.loads(process.stdout.strip().splitlines()[-1])
        customer = self.env["res.partner"].browse(result["customer_id"])
        self.assertEqual(customer.user_id, self.rep_a1, "the rep who created the customer owns it")
        self.assertEqual([f["approver_role"] for f in result["findings"] if f["result"] == "approval"], ["director"])
        order = self.env["sale.order"].browse(result["order_id"])
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.partner_id, customer)
        status = result["status"]
        self.assertEqual(
            (
                status["collected_amount"],
                status["outstanding_amount"],
                status["receivable_amount"],
                status["retention_outstanding"],
            ),
            (1552.5, 3622.5, 0.0, 517.5),
            "the prepayment (30 % of 5,175.00 with tax) is collected; retention not yet due",
        )
