"""19.0.1.2.0: the customers' record rule reads the company's customer flag, owner and pool stored on
every partner (``wisdom_scope_*``, see models/res_partner_scope.py).

Left to the update, the four new columns are computed through the ORM partner by partner (75 s for a
database of 20,000 customers). Here they are added and filled from each partner's company with one
UPDATE; the update then finds them filled and computes nothing. Run again, it changes nothing."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        ALTER TABLE res_partner
            ADD COLUMN IF NOT EXISTS wisdom_scope_customer boolean,
            ADD COLUMN IF NOT EXISTS wisdom_scope_user_id integer,
            ADD COLUMN IF NOT EXISTS wisdom_scope_pool_state varchar,
            ADD COLUMN IF NOT EXISTS wisdom_scope_pool_id integer
    """)
    cr.execute("""
        UPDATE res_partner partner
           SET wisdom_scope_customer = company.wisdom_customer,
               wisdom_scope_user_id = company.user_id,
               wisdom_scope_pool_state = company.pool_state,
               wisdom_scope_pool_id = company.pool_id
          FROM res_partner company
         WHERE company.id = partner.commercial_partner_id
           AND (partner.wisdom_scope_customer, partner.wisdom_scope_user_id,
                partner.wisdom_scope_pool_state, partner.wisdom_scope_pool_id)
               IS DISTINCT FROM
               (company.wisdom_customer, company.user_id, company.pool_state, company.pool_id)
    """)
