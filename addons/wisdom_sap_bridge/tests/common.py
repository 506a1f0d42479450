from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.wisdom_contract.tests.common import WisdomContractCase
from odoo.addons.wisdom_crm_base.tests.queue_jobs import TrappedJobsMixin
from odoo.addons.wisdom_sap_bridge.tests.fake_sap import FakeSap
from odoo.addons.wisdom_sap_bridge.tests.fake_wecom import FakeWecom

SAP_USER = "WISDOM_RFC"
SAP_PASSWORD = "Secret-SAP-1"


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
        cls.meter.default_code = "MAT-3P-METER"
        cls.customer_a1.sap_customer_no = "0000100234"

    def setUp(self):
        super().setUp()
        self.sap.reset()
        self.wecom.reset()

    def confirmed_contract(self, rep=None, **values):
        """A contract confirmed by its rep, its SAP job trapped: ``(order, message, trap)``."""
        order = self._contract(rep, **values)
        with trap_jobs() as trap:
            order.with_user(rep or self.rep_a1).action_confirm()
        return order, order.sudo().sap_message_id, trap
