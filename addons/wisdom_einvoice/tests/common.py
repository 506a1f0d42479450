from datetime import date

from odoo.fields import Command

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.wisdom_crm_base.tests.queue_jobs import TrappedJobsMixin
from odoo.addons.wisdom_crm_base.tools import credit_code
from odoo.addons.wisdom_einvoice.tests.fake_nuonuo import TOKEN, FakeNuonuo
from odoo.addons.wisdom_fulfillment.tests.common import FulfilmentCase

GOODS_CODE = "1090416010000000000"
SELLER_ID = "91430000MA4WISDOM1"
SHIPPED = date(2026, 3, 10)


class EinvoiceCase(TrappedJobsMixin, FulfilmentCase):
    """Contracts of FulfilmentCase at 13 % VAT (price includes tax), customers with credit codes, the
    Nuonuo endpoint pointed at a fake Nuonuo on 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeNuonuo(seller_tax_id=SELLER_ID).__enter__()
        cls.addClassCleanup(cls.fake.__exit__, None, None, None)
        cls.endpoint = cls.env.ref("wisdom_einvoice.endpoint_einvoice_nuonuo")
        cls.endpoint.write(
            {
                "base_url": cls.fake.url,
                "einvoice_token_url": cls.fake.url + TOKEN,
                "api_key": "NN-KEY",
                "api_secret": "NN-SECRET",
                "retry_base_delay": 60,
                "max_attempts": 8,
                "timeout": 10,
            }
        )
        cls.env["wisdom.integration.endpoint"].search(
            [("system", "=", "einvoice"), ("id", "!=", cls.endpoint.id)]
        ).action_archive()
        cls.env.company.vat = SELLER_ID
        cls.tax13 = cls.env["account.tax"].create(
            {
                "name": "增值税 13% (含税)",
                "amount": 13.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
                "company_id": cls.env.company.id,
            }
        )
        cls.product.einvoice_goods_code = GOODS_CODE
        for index, customer in enumerate(cls.customers.values()):
            first17 = f"91439900MA4WTKP{index:02d}"
            customer.credit_code = first17 + credit_code.check_character(first17)
        cls.Request = cls.env["wisdom.invoice.request"]
        cls.Message = cls.env["wisdom.integration.message"]

    def setUp(self):
        super().setUp()
        self.fake.reset()

    def _vat_contract(self, rep=None, qty=10, price=113.0, terms=None):
        order = self._contract(rep=rep, qty=qty, price=price, terms=terms, confirm=False)
        order.order_line.tax_ids = [Command.set(self.tax13.ids)]
        order.action_confirm()
        return order

    def _request(self, order, user=None, **values):
        return self.Request.with_user(user or order.user_id).create({"order_id": order.id, **values})

    def _issue(self, request, trap):
        request.with_user(self.finance).action_issue()
        self.run_jobs(trap)

    def _poll(self, trap, rounds=1):
        """The cron asks the provider ``rounds`` times (a minute apart, as the cron waits between asks)."""
        for _round in range(rounds):
            self.Request.search([("state", "=", "issuing")]).sudo().write({"last_poll_at": False})
            self.Request._cron_poll_issuing()
            self.run_jobs(trap)

    def _issue_until_done(self, request):
        with trap_jobs() as trap:
            request.with_user(request.user_id).action_submit()
            self._issue(request, trap)
            self._poll(trap, rounds=2)
        return request
