from . import test_collection_plan
from . import test_shipment
from . import test_collections
from . import test_concurrency
from . import test_alerts
from . import test_disposal
from . import test_access_and_hooks
from . import test_money_rules
