from . import crm_lead
from . import crm_team
from . import res_partner
from . import res_users
