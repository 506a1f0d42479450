"""19.0.1.1.0: every customer belongs to a public pool.

Each company gets its default pool; customers without a pool join their owner's team's pool, else
their company's default pool."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"]._wisdom_install_default_pools()
