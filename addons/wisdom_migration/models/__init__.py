from . import account_payment
from . import wisdom_migration_run
