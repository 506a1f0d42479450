"""19.0.1.1.0: every customer belongs to a public pool; the last activity is filled in.

Each company gets its default pool; customers without a pool join their owner's team's pool, else
their company's default pool."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"]._wisdom_install_default_pools()
    # the lists show the last activity: start from the notes and completed activities logged so far
    cr.execute("""
        UPDATE res_partner p
           SET wisdom_last_followup = m.last
          FROM (SELECT res_id, max(date) AS last FROM mail_message
                 WHERE model = 'res.partner' AND (message_type = 'comment' OR mail_activity_type_id IS NOT NULL)
                 GROUP BY res_id) m
         WHERE m.res_id = p.id AND p.wisdom_customer AND p.parent_id IS NULL AND p.wisdom_last_followup IS NULL
    """)
