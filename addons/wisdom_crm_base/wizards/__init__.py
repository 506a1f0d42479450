from . import wisdom_pool_assign_wizard
from . import wisdom_pool_reclaim_preview
from . import wisdom_pool_release_wizard
from . import base_partner_merge
from . import wisdom_dedup_scan
from . import crm_lead_to_opportunity_mass
