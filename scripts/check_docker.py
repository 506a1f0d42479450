#!/usr/bin/env python3
"""Static check of the Docker path: docker-compose.yml, Dockerfile, docker/odoo.docker.conf, .dockerignore.

    python3 scripts/check_docker.py [ROOT]      (scripts/check-docker.sh also runs `docker compose config`
                                                 where Docker is installed)

Prints every problem found and exits 1 if there is one. The checks are what `docker compose up` and
`docker compose run --rm odoo test` rely on: the database service and the Odoo service agree on the role,
Odoo waits for a healthy database, the image is the official Odoo 19 image (wkhtmltopdf for the contract
PDF) with requirements.txt installed, the configuration file baked into the image exists and loads the
suite's addons with the same server-wide modules as odoo.conf, the filestore (and the weekly backups
inside it) lives on a volume, a real browser is installed for the tours, and scripts/wisdom.sh knows the
commands the compose file and the README use.
"""

import configparser
import re
import sys
from pathlib import Path

import yaml

IMAGE_ROOT = "/opt/wisdom"


def _env(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def _repo_path(root, image_path):
    """The repository file an /opt/wisdom/... path inside the image comes from."""
    if not image_path.startswith(IMAGE_ROOT + "/"):
        return None
    return root / image_path[len(IMAGE_ROOT) + 1 :]


def check_compose(root, problems):
    compose = yaml.safe_load((root / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose.get("services") or {}
    db, odoo = services.get("db"), services.get("odoo")
    if not db or not odoo:
        problems.append("docker-compose.yml: services 'db' and 'odoo' are both needed")
        return {}, {}
    image = str(db.get("image", ""))
    match = re.fullmatch(r"postgres:(\d+)(?:[.-].*)?", image)
    if not match or int(match.group(1)) < 13:
        problems.append(f"docker-compose.yml: db image {image!r} is not PostgreSQL 13 or newer")
    db_env, odoo_env = _env(db), _env(odoo)
    if "--locale=C.UTF-8" not in db_env.get("POSTGRES_INITDB_ARGS", "") and "UTF" not in db_env.get("LANG", ""):
        problems.append("docker-compose.yml: the database needs a UTF-8 ctype (POSTGRES_INITDB_ARGS --locale=C.UTF-8)")
    if not db.get("healthcheck"):
        problems.append("docker-compose.yml: db has no healthcheck, Odoo could start before PostgreSQL answers")
    depends = odoo.get("depends_on") or {}
    if not isinstance(depends, dict) or (depends.get("db") or {}).get("condition") != "service_healthy":
        problems.append("docker-compose.yml: odoo must depend on db with condition service_healthy")
    for ours, theirs in (("DB_USER", "POSTGRES_USER"), ("DB_PASSWORD", "POSTGRES_PASSWORD")):
        if odoo_env.get(ours) != db_env.get(theirs):
            problems.append(
                f"docker-compose.yml: odoo {ours}={odoo_env.get(ours)!r} but db {theirs}={db_env.get(theirs)!r}"
            )
    if odoo_env.get("PGHOST", "db") != "db":
        problems.append(f"docker-compose.yml: odoo PGHOST={odoo_env['PGHOST']!r}, the database service is 'db'")
    build = odoo.get("build")
    context = build if isinstance(build, str) else (build or {}).get("context")
    if context != "." or not (root / "Dockerfile").is_file():
        problems.append("docker-compose.yml: odoo must be built from this repository's Dockerfile (build: .)")
    conf = odoo_env.get("ODOO_CONF")
    if conf and not (_repo_path(root, conf) or Path("/nonexistent")).is_file():
        problems.append(f"docker-compose.yml: ODOO_CONF {conf} is not a file of the repository under {IMAGE_ROOT}")
    if not any(str(port).split(":")[-1] == "8069" for port in odoo.get("ports") or []):
        problems.append("docker-compose.yml: odoo publishes no port 8069")
    command = odoo.get("command") or ["serve"]
    command = command.split() if isinstance(command, str) else command
    if command[:1] != ["serve"]:
        problems.append(f"docker-compose.yml: odoo command {command} should be ['serve']")
    check_volumes(compose, problems)
    return odoo_env, db_env


def check_volumes(compose, problems):
    services = compose.get("services") or {}
    declared = set((compose.get("volumes") or {}).keys())
    mounts = {}
    for name, service in services.items():
        for volume in service.get("volumes") or []:
            source, _, target = str(volume).partition(":")
            target = target.split(":")[0]
            if not source.startswith((".", "/")) and source not in declared:
                problems.append(f"docker-compose.yml: service {name} uses volume {source!r} that is not declared")
            mounts.setdefault(name, {})[target] = source
    if "/var/lib/odoo" not in mounts.get("odoo", {}):
        problems.append("docker-compose.yml: the filestore /var/lib/odoo (and its backups) is not on a volume")
    if "/var/lib/postgresql/data" not in mounts.get("db", {}):
        problems.append("docker-compose.yml: the database files /var/lib/postgresql/data are not on a volume")


def check_dockerfile(root, problems):
    text = (root / "Dockerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n", " ", text).splitlines()
    lines = [line.strip() for line in joined if line.strip() and not line.startswith("#")]
    froms = [line.split()[1] for line in lines if line.upper().startswith("FROM ")]
    if froms[:1] != ["odoo:19.0"]:
        problems.append(f"Dockerfile: base image {froms[:1]} is not the official odoo:19.0 (which carries wkhtmltopdf)")
    copies = [line for line in lines if line.upper().startswith("COPY ")]
    for line in copies:
        for source in line.split()[1:-1]:
            if not source.startswith("--") and source != "." and not (root / source).exists():
                problems.append(f"Dockerfile: COPY source {source} does not exist")
    pip = [index for index, line in enumerate(lines) if "pip" in line and "install" in line]
    req = [index for index, line in enumerate(lines) if line.upper().startswith("COPY ") and "requirements.txt" in line]
    if not pip or not any("-r /opt/wisdom/requirements.txt" in lines[index] for index in pip):
        problems.append("Dockerfile: requirements.txt (OCA addons, zeep, xlrd, …) is not installed")
    elif not req or req[0] > pip[0]:
        problems.append("Dockerfile: requirements.txt must be copied before pip installs it")
    if any(re.search(r"(apt-get|apt) (remove|purge)[^&]*wkhtmltox", line) for line in lines):
        problems.append("Dockerfile: wkhtmltopdf is removed, the contract PDF needs it")
    installs = " ".join(line for line in lines if "apt-get install" in line)
    if not re.search(r"google-chrome-stable|chromium-headless-shell", installs):
        problems.append("Dockerfile: no browser for the tours (Ubuntu's 'chromium' is only a snap wrapper)")
    if re.search(r"apt-get install[^&]*\bchromium\b", installs):
        problems.append("Dockerfile: Ubuntu's 'chromium' package needs snapd, which a container does not have")
    entry = [line for line in lines if line.upper().startswith("ENTRYPOINT")]
    if not entry or "/opt/wisdom/scripts/wisdom.sh" not in entry[-1]:
        problems.append("Dockerfile: ENTRYPOINT must run /opt/wisdom/scripts/wisdom.sh")
    users = [line.split()[1] for line in lines if line.upper().startswith("USER ")]
    if users[-1:] != ["odoo"]:
        problems.append("Dockerfile: the image must end as USER odoo, not root")
    env = " ".join(line for line in lines if line.upper().startswith("ENV "))
    for needed in ("WISDOM_START_PG=never", "ODOO_CONF=/opt/wisdom/docker/odoo.docker.conf", "DATA_DIR=/var/lib/odoo"):
        if needed not in env:
            problems.append(f"Dockerfile: ENV {needed} missing")
    if not any(line.upper().startswith("HEALTHCHECK") and "/web/health" in line for line in lines):
        problems.append("Dockerfile: no HEALTHCHECK on /web/health")


def check_conf(root, problems):
    docker = configparser.ConfigParser()
    docker.read(root / "docker" / "odoo.docker.conf", encoding="utf-8")
    native = configparser.ConfigParser()
    native.read(root / "odoo.conf", encoding="utf-8")
    options = docker["options"] if docker.has_section("options") else {}
    paths = [path.strip() for path in options.get("addons_path", "").split(",")]
    if f"{IMAGE_ROOT}/addons" not in paths:
        problems.append(f"docker/odoo.docker.conf: addons_path lacks {IMAGE_ROOT}/addons")
    if options.get("db_host") != "db":
        problems.append("docker/odoo.docker.conf: db_host must be the compose service 'db'")
    if options.get("data_dir") != "/var/lib/odoo":
        problems.append("docker/odoo.docker.conf: data_dir must be /var/lib/odoo (the filestore volume)")

    def modules(conf):
        return {name.strip() for name in conf.get("options", "server_wide_modules", fallback="").split(",") if name}

    if modules(docker) != modules(native):
        problems.append(
            f"docker/odoo.docker.conf: server_wide_modules {sorted(modules(docker))} differ from "
            f"odoo.conf {sorted(modules(native))}"
        )
    if docker.get("queue_job", "channels", fallback=None) is None:
        problems.append("docker/odoo.docker.conf: no [queue_job] channels")


def check_repository(root, problems):
    ignore = (root / ".dockerignore").read_text(encoding="utf-8").split() if (root / ".dockerignore").exists() else []
    for needed in (".git", ".odoo-data"):
        if needed not in ignore:
            problems.append(f".dockerignore: {needed} would be copied into the image")
    script = (root / "scripts" / "wisdom.sh").read_text(encoding="utf-8")
    for command in ("serve", "test", "restore"):
        if not re.search(rf"^\s+{command}\)", script, re.M):
            problems.append(f"scripts/wisdom.sh: no '{command}' command, which the Docker path uses")


def check(root):
    root = Path(root)
    problems = []
    check_compose(root, problems)
    check_dockerfile(root, problems)
    check_conf(root, problems)
    check_repository(root, problems)
    return problems


def main():
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    problems = check(root)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(f"Docker files: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
