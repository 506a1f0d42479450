from . import sap_inbound
from . import plm_callback
from . import mes_progress
from . import oa_decision
