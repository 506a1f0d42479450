from . import crm_lead
from . import crm_team
from . import res_partner
from . import res_partner_pool
from . import res_users
from . import wisdom_customer_pool
from . import wisdom_pool_log
