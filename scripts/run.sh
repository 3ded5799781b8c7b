#!/usr/bin/env bash
# make run: the service as production runs it, on this machine. PostgreSQL and Redis are started here with
# their data under VAR_DIR (var/ by default, kept between runs: the first run creates the cluster), then the
# database is migrated, the demo data seeded, and gunicorn, a Celery worker and beat are started with DEBUG off.
# Emails are written one file per message to VAR_DIR/mail/. Ctrl-C (or SIGTERM) stops all five.
#
#   PORT (8000)  VAR_DIR (var)  DEMO_PASSWORD (generated once into VAR_DIR/demo-password when unset)
#   DEMO_CHILDREN (60)  WEB_WORKERS (2)  CELERY_LOG_LEVEL (WARNING)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/services.sh

PORT="${PORT:-8000}"
VAR="${VAR_DIR:-var}"
case "$VAR" in /*) ;; *) VAR="$PWD/$VAR" ;; esac
mkdir -p "$VAR/log" "$VAR/run" "$VAR/mail"
chmod 755 "$VAR" "$VAR/run" "$VAR/log"
PY=.venv/bin/python

if ! python3 -c "import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', int(sys.argv[1])))" "$PORT" 2>/dev/null; then
  echo "Port $PORT is already in use (is the service already running?). Choose another: PORT=8080 make run" >&2
  exit 1
fi

pids=()
PG_DATA="$VAR/pg"
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)
stop() {
  trap - INT TERM EXIT
  set +e  # stop everything, whatever has already stopped
  if [ ${#pids[@]} -gt 0 ]; then kill "${pids[@]}" 2>/dev/null; fi
  wait 2>/dev/null
  redis_stop "$VAR/redis" "$REDIS_PORT"
  pg_stop "$PG_DATA" fast
  echo "Stopped the web server, worker, beat, Redis and PostgreSQL (data kept in $VAR)."
}
trap stop EXIT
trap 'exit 130' INT TERM

# --- PostgreSQL and Redis, data under var/ ------------------------------------------------------------
PG_DATA="$VAR/pg" PG_SOCKETS="$VAR/run" PG_LOG="$VAR/log/postgresql.log"
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  if ! runuser -u postgres -- test -x "$VAR" 2>/dev/null; then
    # As root in a folder the postgres user cannot enter (under /root, say): the server's files live in a folder
    # of its own, one per var/, and var/pg points there.
    home="/var/lib/postgresql/cmfc-$(printf %s "$VAR" | md5sum | cut -c1-12)"
    mkdir -p "$home"
    chown postgres "$home"
    [ -L "$VAR/pg" ] || [ -e "$VAR/pg" ] || ln -s "$home/pg" "$VAR/pg"
    PG_DATA="$home/pg" PG_SOCKETS="$home" PG_LOG="$home/postgresql.log"
    echo "PostgreSQL keeps its files in $home (the postgres user cannot reach $VAR; $VAR/pg points there)."
  fi
fi
if [ ! -f "$PG_DATA/PG_VERSION" ]; then
  echo "Creating the demo's PostgreSQL cluster in $PG_DATA (first run) ..."
fi
pg_init "$PG_DATA" "$VAR/log/initdb.log"
pg_start "$PG_DATA" "$PG_PORT" "$PG_SOCKETS" "$PG_LOG"
pg_createdb "$PG_PORT" cmfc
redis_start "$VAR/redis" "$REDIS_PORT" yes

# --- Production settings for loopback (plain HTTP, so no HTTPS redirect or secure-only cookies) ----------
if [ ! -s "$VAR/secret-key" ]; then
  (umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(50))' >"$VAR/secret-key")
fi
export DEBUG=false DEMO=true
export VAR_DIR="$VAR"
export SECRET_KEY="$(cat "$VAR/secret-key")"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/cmfc"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export CELERY_RESULT_BACKEND="redis://127.0.0.1:$REDIS_PORT/1"
export EMAIL_BACKEND=config.demo_mail.MailboxBackend EMAIL_FILE_PATH="$VAR/mail"
export SITE_URL="http://127.0.0.1:$PORT"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0
export LOG_LEVEL="${LOG_LEVEL:-WARNING}"

$PY manage.py migrate --noinput >"$VAR/log/migrate.log" 2>&1 || { cat "$VAR/log/migrate.log" >&2; exit 1; }
seed_output=$($PY manage.py seed_demo --children "${DEMO_CHILDREN:-60}")

.venv/bin/celery -A config worker --concurrency 2 --loglevel "${CELERY_LOG_LEVEL:-WARNING}" >>"$VAR/log/worker.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A config beat --loglevel "${CELERY_LOG_LEVEL:-WARNING}" --pidfile "$VAR/run/celerybeat.pid" >>"$VAR/log/beat.log" 2>&1 &
pids+=($!)
.venv/bin/gunicorn -c config/gunicorn.conf.py config.wsgi:application --bind "127.0.0.1:$PORT" \
  --workers "${WEB_WORKERS:-2}" --timeout 120 --access-logfile "$VAR/log/access.log" \
  --error-logfile "$VAR/log/web.log" &
pids+=($!)

for _ in $(seq 300); do
  python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
    "http://127.0.0.1:$PORT/account/sign-in/" 2>/dev/null && break
  kill -0 "${pids[2]}" 2>/dev/null || { echo "The web server did not start." >&2; exit 1; }
  sleep 0.1
done

cat <<TXT

  Children missing from care is running at http://127.0.0.1:$PORT/
  (gunicorn, Celery worker and beat; PostgreSQL and Redis with their data in $VAR)
  Emails the service sends are kept in $VAR/mail/ (one .eml file per message); logs in $VAR/log/.

$seed_output

  Press Ctrl-C to stop.

TXT
wait -n
