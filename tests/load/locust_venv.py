"""Locust in its own virtual environment: print the path of its ``locust`` executable.

Locust needs newer gevent, greenlet, Werkzeug and Flask than Odoo 19 runs with, so it is not
installed into Odoo's Python (that would break the server); ``scripts/wisdom.sh load`` and the
suite's smoke test create ``.odoo-data/locust-venv`` once with the pinned version below. (The file is
not called ``venv.py``: run as a script, its folder comes first on ``sys.path`` and ``import venv``
would import the script itself instead of the standard library.)

    python3 tests/load/locust_venv.py [--venv PATH]
"""

import argparse
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCUST = "locust==2.47.0"
DEFAULT_VENV = ROOT / ".odoo-data" / "locust-venv"


def ensure_locust(path=DEFAULT_VENV):
    """Create the virtual environment and install Locust when missing; return the executable."""
    path = Path(path)
    executable = path / "bin" / "locust"
    python = path / "bin" / "python"
    if executable.exists():
        check = subprocess.run(
            [str(python), "-m", "pip", "show", "-q", "locust"], capture_output=True, text=True, check=False
        )
        version = LOCUST.split("==")[1]
        shown = subprocess.run([str(executable), "--version"], capture_output=True, text=True, check=False)
        if check.returncode == 0 and f"locust {version} " in shown.stdout + " ":
            return executable
    venv.EnvBuilder(with_pip=True, clear=not executable.exists()).create(path)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", LOCUST], check=True)
    return executable


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", default=str(DEFAULT_VENV))
    args = parser.parse_args()
    print(ensure_locust(args.venv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
