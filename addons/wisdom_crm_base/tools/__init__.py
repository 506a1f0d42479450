"""Pure-Python business rules of Wisdom CRM base: no ``odoo`` import, unit-tested without a database."""
