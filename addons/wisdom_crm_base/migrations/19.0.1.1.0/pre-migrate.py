"""19.0.1.1.0: a credit code names one company, customer or not.

The unique index on the credit code covered customers only; drop it so that the update recreates
it over every active company (Odoo does not redefine an existing index of the same name)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("DROP INDEX IF EXISTS res_partner_credit_code_unique")
