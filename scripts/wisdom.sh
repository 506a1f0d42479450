#!/usr/bin/env bash
# Wisdom CRM native runner (Odoo 19 installed in this Python).
#   scripts/wisdom.sh serve   create the database if missing (all addons, demo data, Chinese) and serve on :8069
#   scripts/wisdom.sh install create a fresh database with all addons and demo data, then stop
#   scripts/wisdom.sh test    fresh database, install check, restore drill, lint, unit and Odoo tests
#                             (what .ci/run calls)
#   scripts/wisdom.sh backup [db] [folder]            zip backup (database + filestore) now
#   scripts/wisdom.sh restore <backup.zip|.dump> [db] [--neutralize]   restore into a new database
#   scripts/wisdom.sh drill [db]                      back up, restore under another name, compare figures
#   scripts/wisdom.sh lint | format                   check / rewrite the formatting (ruff, prettier for XML) and lint
#   scripts/wisdom.sh upgrade [db]                    back up, then update the seven addons (-u) after a new release
#   scripts/wisdom.sh load [--users 50] [--minutes 5] [--runs readlog,vanilla|none]
#                             Locust load test on a large database (built if missing), with and without the
#                             read log, and on standard Odoo for the ratio (LOAD_DB_NAME, LOAD_VANILLA_DB_NAME,
#                             LOAD_CUSTOMERS, LOAD_CONTRACTS, LOAD_THINK, LOAD_WORKERS, LOAD_LOG_LEVEL); table in .odoo-data/load/
# Environment: DB_NAME (wisdom, for serve/install), TEST_DB_NAME (wisdom_test, dropped and recreated
#              by test), DATA_DIR (.odoo-data, where the filestore lives), PGHOST, PGPORT, DB_USER, DB_PASSWORD, ODOO_CONF (odoo.conf),
#              HTTP_PORT (8069), WISDOM_START_PG (auto|never), WISDOM_STANDARD_SUITES (1: test also runs
#              Odoo's own crm and sale suites on a second database; 0: skip them), WISDOM_STANDARD_MODULES.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432}
export DB_USER=${DB_USER:-odoo} DB_PASSWORD=${DB_PASSWORD:-odoo}
export PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD
ODOO_CONF=${ODOO_CONF:-$ROOT/odoo.conf}
ADDONS="wisdom_crm_base,wisdom_qichacha,wisdom_contract,wisdom_fulfillment,wisdom_einvoice,wisdom_sap_bridge,wisdom_migration"
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
    if pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
        # A cluster of ours left running, or the distribution's, may still lack the suite's role.
        [ "${WISDOM_START_PG:-auto}" = never ] || bash scripts/pg-cluster.sh start >/dev/null
        return 0
    fi
    [ "${WISDOM_START_PG:-auto}" = never ] && die "No PostgreSQL answers on $PGHOST:$PGPORT"
    bash scripts/pg-cluster.sh start
    PG_STARTED=1
}
stop_pg() { [ -n "$PG_STARTED" ] && bash scripts/pg-cluster.sh stop || true; }

odoo_bin() {
    python3 "$ROOT/scripts/odoo-bin" -c "$ODOO_CONF" --db_host="$PGHOST" --db_port="$PGPORT" \
        --db_user="$DB_USER" --db_password="$DB_PASSWORD" --data-dir="$DATA_DIR" "$@"
}

odoo_db() {
    python3 "$ROOT/scripts/odoo-bin" db -c "$ODOO_CONF" --db_host="$PGHOST" --db_port="$PGPORT" \
        --db_user="$DB_USER" --db_password="$DB_PASSWORD" --data-dir="$DATA_DIR" "$@"
}

db_exists() { psql -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1; }

# Install every addon with demo data into a fresh database; fail on any warning about views,
# access rights or fields and on any error.
# Second argument "en": without loading zh_CN (Odoo's own test suites assert English texts).
install_fresh() {
    local db=$1 lang=${2:-zh_CN} log="$LOG_DIR/install-$1.log" language=(--load-language=zh_CN)
    [ "$lang" = zh_CN ] || language=()
    dropdb --if-exists "$db"
    rm -rf "${DATA_DIR:?}/filestore/$db"
    echo "Installing $ADDONS into $db (demo data, ${lang}) — log: $log"
    if ! odoo_bin -d "$db" -i "$ADDONS" --with-demo "${language[@]}" \
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
    echo "== Format (ruff format, prettier for XML; scripts/wisdom.sh format rewrites)"
    ruff format --check "${paths[@]}"
    prettier_tools
    npx --no-install prettier --check "addons/**/*.xml"
    echo "== Lint (pylint-odoo mandatory checks)"
    pylint --rcfile=.pylintrc addons/wisdom_*
}

# prettier and its XML plugin at the versions of package-lock.json, in node_modules/.
prettier_tools() {
    [ -x node_modules/.bin/prettier ] && [ -d node_modules/@prettier/plugin-xml ] && return 0
    command -v npm >/dev/null 2>&1 || die "npm is needed for the XML formatter (Debian: apt-get install npm)"
    npm ci --no-audit --no-fund --loglevel=error
}

# Format the tree the way lint checks it: Python with ruff, the addons' XML with prettier.
format_tree() {
    local paths=()
    for path in addons data tests scripts conftest.py; do [ -e "$path" ] && paths+=("$path"); done
    ruff format "${paths[@]}"
    prettier_tools
    npx --no-install prettier --log-level warn --write "addons/**/*.xml"
}

# A zip backup now, named like the scheduled ones (OCA auto_backup) so that their retention applies.
backup_now() {
    local db=${1:-${DB_NAME:-wisdom}} folder=${2:-$DATA_DIR/backups/${1:-${DB_NAME:-wisdom}}}
    db_exists "$db" || die "database $db does not exist"
    mkdir -p "$folder"
    local file="$folder/$(date -u +%Y_%m_%d_%H_%M_%S).dump.zip"
    odoo_db dump "$db" "$file"
    echo "Backup of $db written to $file"
}

# Restore a zip backup (database + filestore; auto_backup's default) or a pg_dump custom-format
# .dump (database only) into a database that does not exist yet.
restore() {
    local file="" db="" neutralize=()
    for arg in "$@"; do
        case "$arg" in
            --neutralize) neutralize=(--neutralize) ;;
            *) if [ -z "$file" ]; then file=$arg; elif [ -z "$db" ]; then db=$arg; else die "too many arguments"; fi ;;
        esac
    done
    [ -n "$file" ] || die "usage: $0 restore <backup.zip|backup.dump> [database] [--neutralize]"
    [ -f "$file" ] || die "backup file not found: $file"
    db=${db:-wisdom_restored}
    db_exists "$db" && die "database $db already exists: choose another name or drop it first (dropdb $db)"
    case "$file" in
        *.zip)
            odoo_db load "${neutralize[@]}" "$db" "$file" ;;
        *.dump)
            [ ${#neutralize[@]} -eq 0 ] || die "--neutralize needs a zip backup"
            createdb -T template0 -E UTF8 "$db"
            pg_restore --no-owner --role="$DB_USER" -d "$db" "$file" ||
                { dropdb --if-exists "$db"; die "pg_restore failed; database $db removed"; }
            echo "Note: a .dump holds no filestore; copy $DATA_DIR/filestore/<old database> to $DATA_DIR/filestore/$db" ;;
        *) die "unknown backup format: $file (expected .zip or .dump)" ;;
    esac
    echo "Restored $file into database $db"
}

# Odoo's own crm and sale suites and OCA's base_tier_validation and sale_tier_validation suites (the
# approvals the contract review builds on; base_tier_validation's tests register their own
# tier.validation.tester models) on a database with the suite installed (English, demo data): any
# failure beyond tests/standard/known_failures.txt (those fail on vanilla Odoo 19 here too) fails.
standard_suites() {
    local db=${TEST_DB_NAME}_std
    echo "== Odoo's own crm and sale and OCA's tier-validation test suites with Wisdom CRM installed"
    local status=0
    install_fresh "$db" en
    python3 scripts/standard_suites.py --db "$db" \
        --modules "${WISDOM_STANDARD_MODULES:-crm,sale,base_tier_validation,sale_tier_validation}" \
        --odoo-config="$ODOO_CONF" --odoo-extra="db_host=$PGHOST" --odoo-extra="db_port=$PGPORT" \
        --odoo-extra="db_user=$DB_USER" --odoo-extra="db_password=$DB_PASSWORD" \
        --odoo-extra="data-dir=$DATA_DIR" --log "$LOG_DIR/standard-suites.log" || status=$?
    dropdb --if-exists "$db"
    rm -rf "${DATA_DIR:?}/filestore/$db"
    return "$status"
}

restore_drill() {
    local db=$1
    echo "== Restore drill (backup of $db, restore, compare)"
    python3 scripts/restore_drill.py --db "$db" --conf "$ODOO_CONF" --odoo-option="--db_host=$PGHOST" \
        --odoo-option="--db_port=$PGPORT" --odoo-option="--db_user=$DB_USER" \
        --odoo-option="--db_password=$DB_PASSWORD" --odoo-option="--data-dir=$DATA_DIR"
}

run_tests() {
    local db=$1
    echo "== Tests (pytest, unit + Odoo, with HTTP server and browser tours)"
    local rc=0 out="$LOG_DIR/pytest.out"
    python3 -m pytest -rs -p no:cacheprovider --odoo-config="$ODOO_CONF" --odoo-database="$db" --odoo-http \
        --odoo-extra="db_host=$PGHOST" --odoo-extra="db_port=$PGPORT" \
        --odoo-extra="db_user=$DB_USER" --odoo-extra="db_password=$DB_PASSWORD" --odoo-extra="data-dir=$DATA_DIR" \
        --odoo-extra="db-filter=^$db\$" --odoo-log-level=warn addons tests 2>&1 | tee "$out" || rc=$?
    if grep -E "^SKIPPED .*(HttpCase|chrom|tour|browser)" "$out" >/dev/null; then
        echo "ERROR: a browser or HTTP test was skipped; install chromium and websocket-client" >&2
        rc=1
    fi
    return "$rc"
}

# Load test (issue 14): 50 staff of the demo roles on the web client's JSON-RPC, measured with Locust
# (tests/load/locustfile.py), on a large database built by the generator, then the same users on a
# database with only standard Odoo; with and without the operation log's read log. Prints p50/p95/p99
# per request type, throughput, errors and the sums check; writes the table to $DATA_DIR/load/.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# exec: the server replaces the background subshell, so that $! is Odoo's master and stopping it stops the workers
load_odoo_exec() {
    exec python3 "$ROOT/scripts/odoo-bin" -c "$ODOO_CONF" --db_host="$PGHOST" --db_port="$PGPORT" \
        --db_user="$DB_USER" --db_password="$DB_PASSWORD" --data-dir="$DATA_DIR" "$@"
}

load_server_start() {  # db port log
    load_odoo_exec -d "$1" --db-filter="^$1\$" --http-interface=127.0.0.1 --http-port="$2" --gevent-port="$(free_port)" \
        --workers="${LOAD_WORKERS:-4}" --max-cron-threads=0 --limit-time-real=600 --limit-time-cpu=300 \
        --limit-memory-soft=4294967296 --limit-memory-hard=5368709120 --log-level="${LOAD_LOG_LEVEL:-warn}" >"$3" 2>&1 &
    LOAD_SERVER_PID=$!
    for _ in $(seq 1 120); do
        curl -fsS -o /dev/null "http://127.0.0.1:$2/web/login" 2>/dev/null && return 0
        kill -0 "$LOAD_SERVER_PID" 2>/dev/null || { tail -n 30 "$3" >&2; die "Odoo did not start (log: $3)"; }
        sleep 1
    done
    die "Odoo did not answer on 127.0.0.1:$2 within 2 minutes (log: $3)"
}

load_server_stop() {
    [ -n "${LOAD_SERVER_PID:-}" ] || return 0
    kill "$LOAD_SERVER_PID" 2>/dev/null || true
    wait "$LOAD_SERVER_PID" 2>/dev/null || true
    LOAD_SERVER_PID=""
}

load_run() {  # name flavour db
    local name=$1 flavour=$2 db=$3 port prefix="$LOAD_OUT/$1"
    port=$(free_port)
    echo "== Load run '$name' on $db: $LOAD_USERS users, ${LOAD_MINUTES} min (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    load_server_start "$db" "$port" "$LOAD_OUT/$name-odoo.log"
    local mix rep manager director finance
    finance=$(( LOAD_USERS * 16 / 100 )); director=$(( LOAD_USERS * 8 / 100 )); manager=$(( LOAD_USERS * 16 / 100 ))
    [ "$finance" -ge 1 ] || finance=1
    rep=$(( LOAD_USERS - finance - director - manager ))
    mix="rep=$rep,manager=$manager,director=$director,finance=$finance"
    LOAD_DB=$db LOAD_FLAVOUR=$flavour LOAD_MIX=$mix LOAD_LEDGER="$prefix-ledger.json" LOAD_THINK=$LOAD_THINK \
        LOAD_MAX_TASKS=${LOAD_MAX_TASKS:-500} LOAD_RUN_ID="$name$(date -u +%H%M%S)" \
        nice -n 10 "$LOCUST" -f tests/load/locustfile.py --headless --only-summary \
        --host "http://127.0.0.1:$port" -u "$LOAD_USERS" -r "${LOAD_SPAWN_RATE:-5}" -t "${LOAD_MINUTES}m" \
        --stop-timeout 30 --csv "$prefix" --exit-code-on-error 0 >"$prefix-locust.log" 2>&1 || {
            load_server_stop; tail -n 40 "$prefix-locust.log" >&2; die "Locust failed (log: $prefix-locust.log)"; }
    load_server_stop
    grep -E "Error report|^ *[0-9]+ +(POST|GET) " -A0 "$prefix-locust.log" | head -n 20 || true
    LOAD_REPORT_RUNS+=(--run "$name=$prefix,$prefix-ledger.json,$db")
}

load_test() {
    LOAD_USERS=50 LOAD_MINUTES=5 LOAD_THINK=${LOAD_THINK:-3,8}
    local customers=${LOAD_CUSTOMERS:-20000} contracts=${LOAD_CONTRACTS:-2000} runs="readlog,vanilla"
    while [ $# -gt 0 ]; do
        case "$1" in
            --users) LOAD_USERS=$2; shift ;;
            --minutes) LOAD_MINUTES=$2; shift ;;
            --runs) runs=$2; shift ;;  # besides the suite without the read log: readlog, vanilla (comma list, or none)
            *) die "usage: $0 load [--users 50] [--minutes 5] [--runs readlog,vanilla|none]" ;;
        esac
        shift
    done
    local db=${LOAD_DB_NAME:-wisdom_load} vanilla=${LOAD_VANILLA_DB_NAME:-wisdom_load_vanilla}
    LOAD_OUT=$DATA_DIR/load/$(date -u +%Y%m%d-%H%M%S)
    mkdir -p "$LOAD_OUT"
    LOCUST=$(python3 tests/load/locust_venv.py)
    if ! db_exists "$db"; then
        install_fresh "$db"
        echo "Generating $customers customers and $contracts contracts into $db"
        nice -n 10 python3 -m data.generate --db "$db" --customers "$customers" --contracts "$contracts" \
            --conf "$ODOO_CONF" >"$LOG_DIR/generate-$db.log" 2>&1 || { tail -n 20 "$LOG_DIR/generate-$db.log" >&2; die "generator failed"; }
    fi
    if [[ ",$runs," == *,vanilla,* ]] && ! db_exists "$vanilla"; then
        echo "Installing standard Odoo (crm, sale_management, account, demo data) into $vanilla"
        odoo_bin -d "$vanilla" -i crm,sale_management,account --with-demo --stop-after-init --log-level=warn \
            --http-interface=127.0.0.1 >"$LOG_DIR/install-$vanilla.log" 2>&1 || die "installation of $vanilla failed"
        nice -n 10 python3 tests/load/vanilla_data.py --db "$vanilla" --customers "$customers" \
            --contracts "$contracts" --conf "$ODOO_CONF" >"$LOG_DIR/generate-$vanilla.log" 2>&1 ||
            { tail -n 20 "$LOG_DIR/generate-$vanilla.log" >&2; die "vanilla data failed"; }
    fi
    trap load_server_stop EXIT
    LOAD_REPORT_RUNS=()
    local readlog="UPDATE auditlog_rule SET log_read = %s WHERE model_id IN (SELECT id FROM ir_model WHERE model IN ('res.partner', 'sale.order'))"
    # shellcheck disable=SC2059
    psql -d "$db" -qc "$(printf "$readlog" false)"
    load_run wisdom wisdom "$db"
    if [[ ",$runs," == *,readlog,* ]]; then
        # shellcheck disable=SC2059
        psql -d "$db" -qc "$(printf "$readlog" true)"
        load_run wisdom_readlog wisdom "$db"
        # shellcheck disable=SC2059
        psql -d "$db" -qc "$(printf "$readlog" false)"
    fi
    [[ ",$runs," == *,vanilla,* ]] && load_run vanilla vanilla "$vanilla"
    python3 tests/load/report.py "${LOAD_REPORT_RUNS[@]}" --out "$LOAD_OUT/report.txt" \
        --header "Load test $(date -u '+%Y-%m-%d %H:%M UTC'): $LOAD_USERS users, $LOAD_MINUTES min, think time ${LOAD_THINK} s, ${LOAD_WORKERS:-4} workers; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; times in ms"
}

cmd=${1:-}
case "$cmd" in
    serve)
        check_odoo; ensure_pg
        DB_NAME=${DB_NAME:-wisdom}
        db_exists "$DB_NAME" || install_fresh "$DB_NAME"
        echo "Serving http://localhost:${HTTP_PORT:-8069} (database $DB_NAME, login admin/admin or a demo user)"
        exec python3 "$ROOT/scripts/odoo-bin" -c "$ODOO_CONF" --db_host="$PGHOST" --db_port="$PGPORT" \
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
        restore_drill "$TEST_DB_NAME"
        lint
        rc=0
        # Before the suite's own tests, so that pytest's closing line of the suite is the last one.
        if [ "${WISDOM_STANDARD_SUITES:-1}" = 1 ]; then standard_suites || rc=1; fi
        run_tests "$TEST_DB_NAME" || rc=1
        [ "$rc" = 0 ] || die "tests failed (see above)"
        ;;
    backup)
        check_odoo; ensure_pg
        backup_now "${2:-}" "${3:-}"
        ;;
    restore)
        check_odoo; ensure_pg
        shift
        restore "$@"
        ;;
    upgrade)
        check_odoo; ensure_pg
        db=${2:-${DB_NAME:-wisdom}}
        db_exists "$db" || die "database $db does not exist"
        backup_now "$db"
        log="$LOG_DIR/upgrade-$db.log"
        echo "Updating $ADDONS in $db — log: $log"
        if ! odoo_bin -d "$db" -u "$ADDONS" --stop-after-init --log-level=info --http-interface=127.0.0.1 >"$log" 2>&1 ||
                grep -qE " (ERROR|CRITICAL) " "$log"; then
            grep -E " (ERROR|CRITICAL) " "$log" | tail -n 20 >&2 || tail -n 40 "$log" >&2
            die "upgrade of $db failed; the backup above restores the state before it (scripts/wisdom.sh restore)"
        fi
        echo "Upgraded $db. Restart the Odoo service."
        ;;
    load)
        check_odoo; ensure_pg
        shift
        load_test "$@"
        ;;
    drill)
        check_odoo; ensure_pg
        restore_drill "${2:-${DB_NAME:-wisdom}}"
        ;;
    lint)
        lint
        ;;
    format)
        format_tree
        ;;
    *)
        echo "usage: $0 serve|install|test|backup|restore|drill|upgrade|load|lint|format" >&2; exit 2 ;;
esac
