from . import wisdom_qichacha_cache
from . import wisdom_integration_message
from . import res_partner
