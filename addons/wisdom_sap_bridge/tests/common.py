from contextlib import nullcontext

from odoo.fields import Command

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.wisdom_contract.tests.common import WisdomContractCase
from odoo.addons.wisdom_crm_base.tests.queue_jobs import TrappedJobsMixin
from odoo.addons.wisdom_sap_bridge.tests.fake_plm import FakePlm
from odoo.addons.wisdom_sap_bridge.tests.fake_sap import FakeSap
from odoo.addons.wisdom_sap_bridge.tests.fake_wecom import FakeWecom

SAP_USER = "WISDOM_RFC"
SAP_PASSWORD = "Secret-SAP-1"
PLM_CALLBACK_TOKEN = "plm-callback-5d1e8b7c3a9f4e2d6c0b8a7f1e3d5c9b"


class OwnCursorJobsMixin:
    """For an ``HttpCase``: the jobs run on a cursor of their own, as in production (``HttpCase`` is in
    test mode already): the test writes first and reads what the job wrote afresh."""

    def enter_registry_test_mode(self):
        return nullcontext()

    def run_jobs(self, trap, rounds=20):
        self.env.flush_all()
        result = super().run_jobs(trap, rounds)
        self.env.invalidate_all()
        return result


class SapBridgeCase(TrappedJobsMixin, WisdomContractCase):
    """The roles and contracts of wisdom_contract, the fake SAP and WeCom servers, their endpoints
    activated on them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sap = FakeSap(SAP_USER, SAP_PASSWORD).__enter__()
        cls.addClassCleanup(cls.sap.__exit__, None, None, None)
        cls.wecom = FakeWecom().__enter__()
        cls.addClassCleanup(cls.wecom.__exit__, None, None, None)
        cls.Message = cls.env["wisdom.integration.message"]
        cls.sap_endpoint = cls.env.ref("wisdom_sap_bridge.endpoint_sap")
        cls.sap_endpoint.write(
            {
                "active": True,
                "base_url": cls.sap.url,
                "username": SAP_USER,
                "password": SAP_PASSWORD,
                "timeout": 10,
                "max_attempts": 4,
                "retry_base_delay": 60,
            }
        )
        cls.wecom_endpoint = cls.env.ref("wisdom_sap_bridge.endpoint_wecom")
        cls.wecom_endpoint.write(
            {
                "active": True,
                "base_url": cls.wecom.url,
                "api_key": cls.wecom.corp_id,
                "api_secret": cls.wecom.secret,
                "wecom_agent_id": str(cls.wecom.agent_id),
                "max_attempts": 3,
                "retry_base_delay": 30,
            }
        )
        cls.plm = FakePlm().__enter__()
        cls.addClassCleanup(cls.plm.__exit__, None, None, None)
        cls.plm_endpoint = cls.env.ref("wisdom_sap_bridge.endpoint_plm")
        cls.plm_endpoint.write(
            {
                "active": True,
                "base_url": cls.plm.url,
                "api_key": cls.plm.api_key,
                "inbound_token": PLM_CALLBACK_TOKEN,
                "timeout": 10,
                "max_attempts": 3,
                "retry_base_delay": 60,
            }
        )
        cls.meter.default_code = "MAT-3P-METER"
        cls.customer_a1.sap_customer_no = "0000100234"

    @classmethod
    def start_fake(cls, fake, endpoint_xmlid, **values):
        """Start ``fake`` for the class and point the endpoint at it (active, its URL and key, ``values``).

        :return: the endpoint
        """
        fake.__enter__()
        cls.addClassCleanup(fake.__exit__, None, None, None)
        endpoint = cls.env.ref(endpoint_xmlid)
        endpoint.write({"active": True, "base_url": fake.url, "api_key": fake.api_key, **values})
        return endpoint

    def setUp(self):
        super().setUp()
        self.sap.reset()
        self.wecom.reset()
        self.plm.reset()

    def confirmed_contract(self, rep=None, **values):
        """A contract confirmed by its rep, its SAP job trapped: ``(order, message, trap)``."""
        order = self._contract(rep, **values)
        with trap_jobs() as trap:
            order.with_user(rep or self.rep_a1).action_confirm()
        return order, order.sudo().sap_message_id, trap

    def coding_demand(self, new_items=("Explosion-proof terminal", "Solar meter cabinet")):
        """A demand of rep A1 with one standard item and ``new_items`` marked for new material codes,
        approved by the contract admin (at "coding"; its PLM requests trapped): ``(demand, new lines, trap)``."""
        lines = [Command.create({"product_id": self.meter.id, "quantity": 100, "target_price": 560})]
        lines += [
            Command.create({"name": name, "specification": "Ex d IIB T4", "quantity": 5, "target_price": 3000})
            for name in new_items
        ]
        demand = (
            self.env["wisdom.contract.demand"]
            .with_user(self.rep_a1)
            .create({"partner_id": self.customer_a1.id, "line_ids": lines})
        )
        demand.action_submit()
        demand.sudo().write(
            {"product_manager_id": self.product_manager.id, "contract_admin_id": self.contract_admin.id}
        )
        as_pm = demand.with_user(self.product_manager)
        standard, *new = as_pm.line_ids
        standard.action_accept()
        for line in new:
            line.action_needs_code()
        as_pm.action_pm_approve()
        with trap_jobs() as trap:
            demand.with_user(self.contract_admin).action_contract_approve()
        return demand, demand.line_ids - demand.line_ids[0], trap
