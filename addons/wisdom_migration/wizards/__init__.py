from . import wisdom_migration_wizard
