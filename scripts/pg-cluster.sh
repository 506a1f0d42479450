#!/usr/bin/env bash
# Private PostgreSQL cluster for development and CI.
# Usage: scripts/pg-cluster.sh start|stop|status|role
# Environment: PGHOST, PGPORT, DB_USER, DB_PASSWORD (the role created for the suite), WISDOM_PGDATA
# (data directory, default /var/tmp/wisdom-pg/data), WISDOM_PGSOCKDIR (socket directory, /tmp), PGBIN.
# Starts one only when nothing answers on $PGHOST:$PGPORT. Root cannot run the server, so the
# cluster is owned by the `postgres` OS user. A UTF-8 ctype is required: pg_trgm scores Chinese
# company names only under a UTF-8 character type (see wisdom_crm_base dedup).
set -euo pipefail

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
DB_USER=${DB_USER:-odoo}
DB_PASSWORD=${DB_PASSWORD:-odoo}
PGDATA_DIR=${WISDOM_PGDATA:-/var/tmp/wisdom-pg/data}
PGLOG=${PGDATA_DIR%/data}/server.log
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
STARTED_FLAG=${PGDATA_DIR%/data}/started-by-wisdom
PGSOCKDIR=${WISDOM_PGSOCKDIR:-/tmp}

# Everything run as the `postgres` OS user ignores the caller's PG* connection settings (a caller
# such as scripts/wisdom.sh exports PGUSER=odoo, a role that does not exist before the first start).
as_postgres() {
    local clean=(env -u PGUSER -u PGPASSWORD -u PGDATABASE -u PGSERVICE -u PGPASSFILE -u PGOPTIONS)
    if [ "$(id -un)" = postgres ]; then "${clean[@]}" "$@"; else runuser -u postgres -- "${clean[@]}" "$@"; fi
}

# SQL literal / identifier quoting for the role name and password.
sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }
sql_ident() { printf '"%s"' "${1//\"/\"\"}"; }

answers() { "$PGBIN/pg_isready" -q -h "$PGHOST" -p "$PGPORT"; }

# A server killed with its session leaves postmaster.pid behind, its PID gone or a zombie.
remove_stale_pid() {
    local pidfile="$PGDATA_DIR/postmaster.pid" pid state
    [ -f "$pidfile" ] || return 0
    pid=$(head -n 1 "$pidfile")
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
    if [ -z "$state" ] || [ "$state" = Z ] || ! grep -q postgres "/proc/$pid/cmdline" 2>/dev/null; then
        echo "Removing stale $pidfile (PID $pid not running)"
        rm -f "$pidfile"
    fi
}

start() {
    if answers; then
        echo "PostgreSQL already answers on $PGHOST:$PGPORT"
        # Our own cluster left running by an earlier, interrupted start: make sure the role exists.
        if [ -s "$PGDATA_DIR/postmaster.pid" ]; then
            ensure_role
        elif ! can_login && [ -S "/var/run/postgresql/.s.PGSQL.$PGPORT" ]; then
            # A distribution cluster (e.g. Debian's postgresql package) without the suite's role.
            PGSOCKDIR=/var/run/postgresql ensure_role
        fi
        return 0
    fi
    [ -x "$PGBIN/initdb" ] || { echo "No PostgreSQL binaries found (set PGBIN)" >&2; exit 1; }
    mkdir -p "${PGDATA_DIR%/data}"
    chown postgres: "${PGDATA_DIR%/data}" 2>/dev/null || true
    if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
        as_postgres "$PGBIN/initdb" -D "$PGDATA_DIR" -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    fi
    remove_stale_pid
    as_postgres "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGLOG" -w -t 60 \
        -o "-h $PGHOST -p $PGPORT -k $PGSOCKDIR -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200" start >/dev/null
    touch "$STARTED_FLAG"
    ensure_role
    echo "PostgreSQL started on $PGHOST:$PGPORT (data in $PGDATA_DIR)"
}

can_login() {
    PGPASSWORD=$DB_PASSWORD "$PGBIN/psql" -X -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d postgres -qtAc "SELECT 1" \
        >/dev/null 2>&1
}

# The role the suite connects as (DB_USER/DB_PASSWORD), created once as the postgres superuser.
ensure_role() {
    local psql=("$PGBIN/psql" -X -U postgres -h "$PGSOCKDIR" -p "$PGPORT" -d postgres -v ON_ERROR_STOP=1)
    if ! as_postgres "${psql[@]}" -qtAc "SELECT 1 FROM pg_roles WHERE rolname=$(sql_literal "$DB_USER")" | grep -q 1; then
        as_postgres "${psql[@]}" -qc \
            "CREATE ROLE $(sql_ident "$DB_USER") LOGIN CREATEDB PASSWORD $(sql_literal "$DB_PASSWORD")"
        echo "Role $DB_USER created"
    fi
}

stop() {
    if [ -f "$STARTED_FLAG" ] && [ -s "$PGDATA_DIR/postmaster.pid" ]; then
        as_postgres "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null && rm -f "$STARTED_FLAG"
        echo "PostgreSQL stopped"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    role) ensure_role ;;
    status) if answers; then echo "answers on $PGHOST:$PGPORT"; else echo "not running"; exit 1; fi ;;
    *) echo "usage: $0 start|stop|status|role" >&2; exit 2 ;;
esac
