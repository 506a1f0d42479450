from . import test_assignment_rules
from . import test_dedup
from . import test_dedup_merge
from . import test_grading
from . import test_pool
from . import test_record_rules
from . import test_sales_target
from . import test_tours
