from . import test_contract_review
from . import test_demand
from . import test_roles
from . import test_template_archive
from . import test_tours
from . import test_review_findings
from . import test_languages
from . import test_multi_currency
