import importlib.util
from datetime import date
from pathlib import Path

from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user


def migration_script(addon, version, step):
    """The module of ``addons/<addon>/migrations/<version>/<step>.py`` (``step``: pre-migrate,
    post-migrate), for a test that runs an upgrade's data conversion on the test database."""
    path = Path(__file__).parents[2] / addon / "migrations" / version / f"{step}.py"
    spec = importlib.util.spec_from_file_location(f"{addon}_{step}_{version}".replace(".", "_").replace("-", "_"), path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


class WisdomRolesCase(TransactionCase):
    """Two sales teams with a manager and two reps each, a director and the functional roles,
    and one customer, lead and quotation per rep."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))

        def user(login, group):
            return new_test_user(cls.env, login=login, groups=f"wisdom_crm_base.{group}", name=login)

        cls.rep_a1 = user("t_rep_a1", "group_wisdom_rep")
        cls.rep_a2 = user("t_rep_a2", "group_wisdom_rep")
        cls.rep_b1 = user("t_rep_b1", "group_wisdom_rep")
        cls.manager_a = user("t_manager_a", "group_wisdom_manager")
        cls.manager_b = user("t_manager_b", "group_wisdom_manager")
        cls.director = user("t_director", "group_wisdom_director")
        cls.product_manager = user("t_pm", "group_wisdom_product_manager")
        cls.finance = user("t_finance", "group_wisdom_finance")
        cls.contract_admin = user("t_contract_admin", "group_wisdom_contract_admin")
        cls.integration_admin = user("t_integration", "group_wisdom_integration_admin")

        Team = cls.env["crm.team"]
        cls.team_a = Team.create(
            {
                "name": "Team A",
                "user_id": cls.manager_a.id,
                "member_ids": [Command.set((cls.rep_a1 | cls.rep_a2).ids)],
            }
        )
        cls.team_b = Team.create(
            {
                "name": "Team B",
                "user_id": cls.manager_b.id,
                "member_ids": [Command.set(cls.rep_b1.ids)],
            }
        )

        cls.customers = {}
        cls.leads = {}
        cls.orders = {}
        product = cls.env["product.product"].create({"name": "Smart meter", "list_price": 100.0})
        for rep, team in ((cls.rep_a1, cls.team_a), (cls.rep_a2, cls.team_a), (cls.rep_b1, cls.team_b)):
            customer = cls.env["res.partner"].create(
                {
                    "name": f"Customer of {rep.login}",
                    "is_company": True,
                    "wisdom_customer": True,
                    "user_id": rep.id,
                }
            )
            cls.customers[rep] = customer
            cls.leads[rep] = cls.env["crm.lead"].create(
                {
                    "name": f"Lead of {rep.login}",
                    "partner_id": customer.id,
                    "user_id": rep.id,
                    "team_id": team.id,
                }
            )
            cls.orders[rep] = cls.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "user_id": rep.id,
                    "team_id": team.id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 2})],
                }
            )
        cls.customer_a1 = cls.customers[cls.rep_a1]
        cls.customer_a2 = cls.customers[cls.rep_a2]
        cls.customer_b1 = cls.customers[cls.rep_b1]


class CnyCompanyCase(TransactionCase):
    """Mixed in after a ``WisdomRolesCase`` subclass (``class TestX(FulfilmentCase, CnyCompanyCase)``),
    the case runs in a company whose currency is CNY (the demo group company when it is there) with USD
    at a known company rate since 2026: 1 CNY = 0.14 USD, i.e. 1 USD = 7.142857 CNY."""

    USD_RATE = 0.14
    RATE_SINCE = date(2026, 1, 1)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cny = cls.env.ref("base.CNY")
        company = cls.env.ref("wisdom_crm_base.company_wisdom_demo", raise_if_not_found=False)
        if not company or company.currency_id != cny:
            cny.active = True
            company = cls.env["res.company"].create({"name": "Wisdom CNY test company", "currency_id": cny.id})
        cls.env.user.company_ids |= company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[company.id]))
        cls.company = company
        cls.usd = cls.env.ref("base.USD")
        cls.usd.active = True
        cls.env["res.currency.rate"].create(
            {"currency_id": cls.usd.id, "company_id": company.id, "name": cls.RATE_SINCE, "rate": cls.USD_RATE}
        )
        cls.usd_pricelist = cls.env["product.pricelist"].create({"name": "Overseas (USD)", "currency_id": cls.usd.id})

    def _usd_to_cny(self, amount):
        """Odoo's own conversion, to compare with."""
        return self.usd._convert(amount, self.company.currency_id, self.company, self.RATE_SINCE)
