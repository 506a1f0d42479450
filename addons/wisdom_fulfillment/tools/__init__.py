"""Pure-Python fulfilment rules: no ``odoo`` import, unit-tested without a database."""
