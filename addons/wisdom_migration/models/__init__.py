from . import account_analytic_distribution_model
from . import account_move
from . import account_payment
from . import wisdom_migration_run
