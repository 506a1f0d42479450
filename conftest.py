"""Root pytest configuration.

With ``--odoo-database`` pytest-odoo loads Odoo and every test runs against that database. Without
it (``pytest addons/*/tests/unit``) the pure ``tools/`` modules are still importable as
``odoo.addons.<addon>.tools`` so that their unit tests need no database.
"""

from pathlib import Path

import pytest_odoo

import odoo.addons

ADDONS_DIR = str(Path(__file__).resolve().parent / "addons")
if ADDONS_DIR not in odoo.addons.__path__:
    odoo.addons.__path__.append(ADDONS_DIR)

# Import test files of an addon as odoo.addons.<addon>.tests..., as pytest-odoo does.
pytest_odoo.monkey_patch_resolve_pkg_root_and_module_name()
