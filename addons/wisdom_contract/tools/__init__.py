"""Pure-Python contract rules: no ``odoo`` import, unit-tested without a database."""
