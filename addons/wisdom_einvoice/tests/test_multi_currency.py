from datetime import date

from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.wisdom_crm_base.tests.common import CnyCompanyCase

from .common import SHIPPED, EinvoiceCase


@tagged("post_install", "-at_install")
class TestMultiCurrencyStatistics(EinvoiceCase, CnyCompanyCase):
    """Invoiced-amount statistics add the requests of a USD contract and a CNY contract in CNY, at the
    company rate of the issue date; each request keeps its total in its contract's currency."""

    def _issued(self, order):
        self._ship(order, 6, SHIPPED)
        request = self._request(order)
        with trap_jobs() as trap:
            request.action_submit()
            request.with_user(self.finance).action_issue()
            self.run_jobs(trap)
            self._poll(trap, rounds=2)
        self.assertEqual(request.state, "issued")
        return request

    def test_invoiced_amounts_add_usd_and_cny_in_cny(self):
        usd_order = self._contract(qty=10, price=113.0, confirm=False, pricelist_id=self.usd_pricelist.id)
        usd_order.order_line.tax_ids = self.tax13
        usd_order.action_confirm()
        self.assertEqual(usd_order.currency_id, self.usd)
        usd_request = self._issued(usd_order)
        cny_request = self._issued(self._vat_contract())
        requests = usd_request | cny_request
        self.assertEqual((usd_request.currency_id, usd_request.amount_total), (self.usd, 678.0))
        self.assertEqual(usd_request.issue_date, date(2026, 3, 3))
        self.assertAlmostEqual(usd_request.amount_total_company, self._usd_to_cny(678.0), places=2)
        self.assertEqual(cny_request.amount_total_company, 678.0)
        for view in ("view_wisdom_invoice_request_pivot", "view_wisdom_invoice_request_graph"):
            arch = etree.fromstring(self.env.ref(f"wisdom_einvoice.{view}").arch)
            self.assertEqual(arch.xpath("//field[@type='measure']/@name"), ["amount_total_company"], view)
        action = self.env.ref("wisdom_einvoice.action_wisdom_invoice_statistics")
        domain = safe_eval(action.domain) + [("id", "in", requests.ids)]
        groups = self.Request.with_user(self.finance).formatted_read_group(
            domain, ["issue_date:month"], ["amount_total_company:sum"]
        )
        total = sum(group["amount_total_company:sum"] for group in groups)
        self.assertAlmostEqual(total, self._usd_to_cny(678.0) + 678.0, places=2)
        self.assertGreater(total, 6 * 678.0, "USD is not counted as if it were CNY")
