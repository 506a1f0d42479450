#!/usr/bin/env bash
# Wisdom CRM native runner (Odoo 19 installed in this Python).
#   scripts/wisdom.sh serve   create the database if missing (all addons, demo data, Chinese) and serve on :8069
#   scripts/wisdom.sh install create a fresh database with all addons and demo data, then stop
#   scripts/wisdom.sh test    fresh database, install check, lint, unit and Odoo tests (what .ci/run calls)
# Environment: DB_NAME (wisdom, for serve/install), TEST_DB_NAME (wisdom_test, dropped and recreated
#              by test), DATA_DIR (.odoo-data, where the filestore lives), PGHOST, PGPORT, DB_USER, DB_PASSWORD, ODOO_CONF (odoo.conf),
#              HTTP_PORT (8069), WISDOM_START_PG (auto|never).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432}
export DB_USER=${DB_USER:-odoo} DB_PASSWORD=${DB_PASSWORD:-odoo}
export PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD
ODOO_CONF=${ODOO_CONF:-$ROOT/odoo.conf}
ADDONS="wisdom_crm_base,wisdom_qichacha,wisdom_contract,wisdom_fulfillment,wisdom_einvoice,wisdom_sap_bridge"
DATA_DIR=${DATA_DIR:-$ROOT/.odoo-data}
LOG_DIR=${LOG_DIR:-$DATA_DIR/logs}
mkdir -p "$LOG_DIR"

die() { echo "ERROR: $*" >&2; exit 1; }

check_odoo() {
    local version
    version=$(cd /tmp && python3 -c 'import odoo.release as r; print(r.version)' 2>/dev/null) ||
        die "Odoo cannot be imported by $(command -v python3). Install Odoo 19.0 into this Python first (README, 'Install')."
    case "$version" in
        19.0*) echo "Odoo $version found" ;;
        *) die "Odoo $version found, Wisdom CRM needs Odoo 19.0" ;;
    esac
}

PG_STARTED=""
ensure_pg() {
    if pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then return 0; fi
    [ "${WISDOM_START_PG:-auto}" = never ] && die "No PostgreSQL answers on $PGHOST:$PGPORT"
    bash scripts/pg-cluster.sh start
    PG_STARTED=1
}
stop_pg() { [ -n "$PG_STARTED" ] && bash scripts/pg-cluster.sh stop || true; }

odoo_bin() {
    python3 -m odoo -c "$ODOO_CONF" --db_host="$PGHOST" --db_port="$PGPORT" \
        --db_user="$DB_USER" --db_password="$DB_PASSWORD" --data-dir="$DATA_DIR" "$@"
}

db_exists() { psql -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1; }

# Install every addon with demo data into a fresh database; fail on any warning about views,
# access rights or fields and on any error.
install_fresh() {
    local db=$1 log="$LOG_DIR/install-$1.log"
    dropdb --if-exists "$db"
    rm -rf "${DATA_DIR:?}/filestore/$db"
    echo "Installing $ADDONS into $db (demo data, zh_CN) — log: $log"
    if ! odoo_bin -d "$db" -i "$ADDONS" --with-demo --load-language=zh_CN \
            --stop-after-init --log-level=info --http-interface=127.0.0.1 >"$log" 2>&1; then
        tail -n 60 "$log" >&2
        die "installation failed"
    fi
    local problems
    # Loggers of view validation, access rights, fields and our own addons; any ERROR at all.
    problems=$(grep -E " (ERROR|CRITICAL) | WARNING [^ ]+ (odoo\.addons\.base\.models\.ir_(ui_view|model|rule)|odoo\.modules\.loading: The models?|odoo\.fields|odoo\.models|odoo\.addons\.wisdom_)|no access rules" "$log" || true)
    if [ -n "$problems" ]; then
        echo "$problems" >&2
        die "installation logged errors or warnings about views, fields or access rights"
    fi
    echo "Installed."
}

lint() {
    echo "== Lint (ruff)"
    local paths=()
    for path in addons data tests scripts conftest.py; do [ -e "$path" ] && paths+=("$path"); done
    ruff check "${paths[@]}"
    echo "== Lint (pylint-odoo mandatory checks)"
    pylint --rcfile=.pylintrc addons/wisdom_*
}

run_tests() {
    local db=$1
    echo "== Tests (pytest, unit + Odoo, with HTTP server and browser tours)"
    local rc=0 out="$LOG_DIR/pytest.out"
    python3 -m pytest -rs -p no:cacheprovider --odoo-config="$ODOO_CONF" --odoo-database="$db" --odoo-http \
        --odoo-extra="db_host=$PGHOST" --odoo-extra="db_port=$PGPORT" \
        --odoo-extra="db_user=$DB_USER" --odoo-extra="db_password=$DB_PASSWORD" --odoo-extra="data-dir=$DATA_DIR" \
        --odoo-log-level=warn addons tests 2>&1 | tee "$out" || rc=$?
    if grep -E "^SKIPPED .*(HttpCase|chrom|tour|browser)" "$out" >/dev/null; then
        echo "ERROR: a browser or HTTP test was skipped; install chromium and websocket-client" >&2
        rc=1
    fi
    return "$rc"
}

cmd=${1:-}
case "$cmd" in
    serve)
        check_odoo; ensure_pg
        DB_NAME=${DB_NAME:-wisdom}
        db_exists "$DB_NAME" || install_fresh "$DB_NAME"
        echo "Serving http://localhost:${HTTP_PORT:-8069} (database $DB_NAME, login admin/admin or a demo user)"
        exec python3 -m odoo -c "$ODOO_CONF" --db_host="$PGHOST" --db_port="$PGPORT" \
            --db_user="$DB_USER" --db_password="$DB_PASSWORD" --data-dir="$DATA_DIR" -d "$DB_NAME" \
            --http-port="${HTTP_PORT:-8069}"
        ;;
    install)
        check_odoo; ensure_pg
        install_fresh "${DB_NAME:-wisdom}"
        ;;
    test)
        check_odoo; ensure_pg
        trap stop_pg EXIT
        TEST_DB_NAME=${TEST_DB_NAME:-wisdom_test}
        install_fresh "$TEST_DB_NAME"
        lint
        run_tests "$TEST_DB_NAME"
        ;;
    *)
        echo "usage: $0 serve|install|test" >&2; exit 2 ;;
esac
