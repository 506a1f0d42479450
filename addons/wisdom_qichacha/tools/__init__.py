"""Pure-Python Qichacha (企查查) client: no ``odoo`` import, unit-tested without a database."""
