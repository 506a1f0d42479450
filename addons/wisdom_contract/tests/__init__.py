from . import test_contract_review
