from . import test_contract_review
from . import test_demand
