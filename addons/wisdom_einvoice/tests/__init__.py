from . import test_access
from . import test_invoice_request
from . import test_issuing
from . import test_pre_invoice
from . import test_red
from . import test_api_over_the_wire
from . import test_baiwang
from . import test_multi_currency
