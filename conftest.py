"""Root pytest configuration.

With ``--odoo-database`` pytest-odoo loads Odoo and every test runs against that database. Without
it (``pytest addons/*/tests/unit``) the pure ``tools/`` modules are still importable as
``odoo.addons.<addon>.tools`` so that their unit tests need no database.
"""

import threading
from pathlib import Path

import pytest
import pytest_odoo

import odoo.modules.registry
import odoo.tools

import odoo.addons

ADDONS_DIR = str(Path(__file__).resolve().parent / "addons")
if ADDONS_DIR not in odoo.addons.__path__:
    odoo.addons.__path__.append(ADDONS_DIR)

# Import test files of an addon as odoo.addons.<addon>.tests..., as pytest-odoo does.
pytest_odoo.monkey_patch_resolve_pkg_root_and_module_name()


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    """pytest-odoo's registry loader, skipped when no database was given (unit tests only)."""
    if not odoo.tools.config["db_name"]:
        yield
        return
    threading.current_thread().testing = True
    with pytest_odoo._worker_db_name() as db_name:
        odoo.modules.registry.Registry(db_name)
        yield
