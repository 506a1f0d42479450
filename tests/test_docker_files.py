"""The Docker path, checked statically (no Docker engine on the CI machine): scripts/check_docker.py."""

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("check_docker", ROOT / "scripts" / "check_docker.py")
check_docker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_docker)


def test_repository_docker_files_have_no_problem():
    assert check_docker.check(ROOT) == []


@pytest.fixture
def copy(tmp_path):
    for name in (
        "Dockerfile",
        "docker-compose.yml",
        "odoo.conf",
        ".dockerignore",
        "requirements.txt",
        "requirements-dev.txt",
        "docker/odoo.docker.conf",
        "scripts/wisdom.sh",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        ("docker-compose.yml", "condition: service_healthy", "condition: service_started", "service_healthy"),
        ("docker-compose.yml", "DB_PASSWORD: odoo", "DB_PASSWORD: other", "DB_PASSWORD"),
        ("docker-compose.yml", "wisdom-filestore:/var/lib/odoo", "wisdom-files:/var/lib/odoo", "not declared"),
        ("Dockerfile", "FROM odoo:19.0", "FROM python:3.12", "official odoo:19.0"),
        ("Dockerfile", "google-chrome-stable;", "chromium;", "snap"),
        ("Dockerfile", "-r /opt/wisdom/requirements.txt", "-r /opt/wisdom/requirements-dev.txt", "requirements.txt"),
        ("docker/odoo.docker.conf", "base,rpc,web,queue_job", "base,web", "server_wide_modules"),
        (".dockerignore", ".odoo-data", ".odoo-cache", ".odoo-data"),
    ],
)
def test_a_broken_docker_file_is_reported(copy, name, old, new, expected):
    _edit(copy / name, old, new)
    problems = check_docker.check(copy)
    assert any(expected in problem for problem in problems), problems
