from . import test_sap_order
from . import test_wecom
from . import test_sap_customer
from . import test_sap_delivery
from . import test_security
from . import test_api_over_the_wire
from . import test_sap_inbound
