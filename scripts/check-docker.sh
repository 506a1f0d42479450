#!/usr/bin/env bash
# Validate the Docker path without building it: `docker compose config` where Docker's compose plugin
# exists (syntax, interpolation), then the structural checks of scripts/check_docker.py (always).
set -euo pipefail
cd "$(dirname "$0")/.."
if docker compose version >/dev/null 2>&1; then
    echo "== docker compose config"
    docker compose config -q
else
    echo "== docker compose not available here: structural checks only"
fi
exec python3 scripts/check_docker.py
