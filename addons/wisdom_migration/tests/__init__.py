from . import test_migration_load
from . import test_migration_run
