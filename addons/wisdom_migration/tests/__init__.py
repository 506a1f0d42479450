from . import test_migration_load
from . import test_migration_run
from . import test_api_over_the_wire
from . import test_migration_language
from . import test_migration_tour
from . import test_migration_payments
from . import test_migration_numbering
from . import test_migration_analytic
