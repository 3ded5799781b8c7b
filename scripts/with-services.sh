#!/usr/bin/env bash
# Start a throwaway PostgreSQL and Redis on loopback, run the given command against them, then stop
# both whatever the command's outcome. Exports DATABASE_URL, CELERY_BROKER_URL and the TEST_* variables
# the fault tests use to stop and restart the servers.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/services.sh

PG_BIN=$(pg_bin)
WORK=$(mktemp -d /tmp/cmfc-services.XXXXXX)
chmod 755 "$WORK"
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)

cleanup() {
  pg_stop "$WORK/pg" immediate
  redis_stop "$WORK/redis" "$REDIS_PORT"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] && { pg_prepare_dir "$WORK/pg"; chown postgres "$WORK"; }
pg_init "$WORK/pg" "$WORK/initdb.log" || exit 1
PG_OPTS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
pg_start "$WORK/pg" "$PG_PORT" "$WORK" "$WORK/pg.log" "$PG_OPTS" || exit 1
pg_createdb "$PG_PORT" cmfc
redis_start "$WORK/redis" "$REDIS_PORT" no || exit 1

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/cmfc"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export CELERY_RESULT_BACKEND="redis://127.0.0.1:$REDIS_PORT/1"
export TEST_PG_BIN="$PG_BIN" TEST_PG_DATA="$WORK/pg" TEST_PG_LOG="$WORK/pg.log"
export TEST_PG_OPTS="-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK $PG_OPTS"
export TEST_REDIS_PORT="$REDIS_PORT" TEST_SERVICES_DIR="$WORK/redis"
echo "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT (throwaway, in $WORK)"
"$@"
