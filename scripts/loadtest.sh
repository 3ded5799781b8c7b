#!/usr/bin/env bash
# make loadtest: the locust scenario of tests/load/locustfile.py against gunicorn, PostgreSQL, Redis and a
# Celery worker on loopback, with production settings (DEBUG off, its own SECRET_KEY; plain HTTP on
# 127.0.0.1, so no HTTPS redirect or secure-only cookies) and LOADTEST_CHILDREN synthetic children.
# Run it as `scripts/with-services.sh scripts/loadtest.sh` (that provides DATABASE_URL and CELERY_BROKER_URL).
#
# Prints the p95 of every endpoint against the target and exits non-zero if any request failed. The CSV
# files and the server logs are kept in LOADTEST_OUT (var/loadtest). gunicorn and the worker are stopped
# whatever happens.
#
# The users sign in over the first seconds (LOADTEST_SPAWN_RATE a second: each sign-in costs ~0.4 s of CPU in
# the password hasher, by design), and then all of them use the service for LOADTEST_DURATION: locust runs
# for the ramp plus that, and the verdict is on what follows the last sign-in.
#
#   LOADTEST_USERS (50)  LOADTEST_DURATION (2m: seconds, or with s/m/h)  LOADTEST_CHILDREN (20000)
#   LOADTEST_SPAWN_RATE (2)  LOADTEST_WORKERS (4 gunicorn processes)  LOADTEST_THREADS (1 thread each)
#   LOADTEST_TARGET_P95_MS (300)  LOADTEST_WORKER_NICE (0: the Celery worker's CPU priority)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?run this through scripts/with-services.sh (DATABASE_URL is not set)}"
: "${CELERY_BROKER_URL:?run this through scripts/with-services.sh (CELERY_BROKER_URL is not set)}"

USERS="${LOADTEST_USERS:-50}"
DURATION="${LOADTEST_DURATION:-2m}"
CHILDREN="${LOADTEST_CHILDREN:-20000}"
SPAWN_RATE="${LOADTEST_SPAWN_RATE:-2}"
WORKERS="${LOADTEST_WORKERS:-4}"
THREADS="${LOADTEST_THREADS:-1}"
OUT="${LOADTEST_OUT:-var/loadtest}"
export LOADTEST_TARGET_P95_MS="${LOADTEST_TARGET_P95_MS:-300}"

PY=.venv/bin/python
seconds() {  # 120, 120s, 2m or 1h -> seconds
  case "$1" in
    *h) echo $(( ${1%h} * 3600 )) ;; *m) echo $(( ${1%m} * 60 )) ;; *s) echo "${1%s}" ;; *) echo "$1" ;;
  esac
}
RAMP=$(( (USERS + SPAWN_RATE - 1) / SPAWN_RATE ))
RUN_SECONDS=$(( RAMP + $(seconds "$DURATION") ))
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
random_text() { python3 -c 'import secrets; print(secrets.token_urlsafe(32))'; }

WORK=$(mktemp -d /tmp/cmfc-loadtest.XXXXXX)
PORT=$(free_port)
mkdir -p "$OUT"

# Production settings, except that it is plain HTTP on loopback.
export DEBUG=false
export SECRET_KEY="loadtest-$(random_text)"
export ALLOWED_HOSTS=127.0.0.1
export SITE_URL="http://127.0.0.1:$PORT"
export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0
export REQUIRE_TWO_FACTOR=false
export EMAIL_URL=consolemail:// DEMO=true  # the worker prints the emails: DEMO allows an email that stays here
export VAR_DIR="$WORK/var"
export CONN_MAX_AGE=60
export LOG_LEVEL=WARNING
export DEMO_PASSWORD="${DEMO_PASSWORD:-loadtest-$(random_text)}"
export LOADTEST_DATA="$WORK/data.json"

pids=()
cleanup() {
  status=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  cp "$WORK"/*.log "$OUT"/ 2>/dev/null || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n== %s\n' "$*"; }

step "Migrating and seeding $CHILDREN synthetic children"
$PY manage.py migrate --noinput >"$WORK/migrate.log"
$PY manage.py seed_demo --children "$CHILDREN" | grep -v -i password

step "Starting a Celery worker"
# At the pages' CPU priority unless LOADTEST_WORKER_NICE says otherwise: a lower one (10) took about 40 ms off
# the pages' p95 and made the alert emails' p95 fifteen times slower (0.5 s to 7.6 s), so by default alerts
# compete on equal terms. How long they took is printed at the end.
nice -n "${LOADTEST_WORKER_NICE:-0}" .venv/bin/celery -A config worker --concurrency 1 --loglevel WARNING \
  --without-gossip --without-mingle -n "loadtest-$$@%h" >"$WORK/worker.log" 2>&1 &
pids+=($!)

step "Reporting episodes and allocating an advocate (through the services)"
DJANGO_SETTINGS_MODULE=config.settings $PY -m tests.load.prepare "$LOADTEST_DATA"
$PY manage.py shell -c "from django.db import connection; connection.cursor().execute('ANALYZE')" >/dev/null 2>&1

step "Starting gunicorn on 127.0.0.1:$PORT ($WORKERS workers x $THREADS threads)"
conf=()
[ -f config/gunicorn.conf.py ] && conf=(-c config/gunicorn.conf.py)  # production's settings (access log)
.venv/bin/gunicorn "${conf[@]}" config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --worker-class gthread --threads "$THREADS" --timeout 60 >"$WORK/gunicorn.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/account/sign-in/" 2>/dev/null && break
  sleep 0.2
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/account/sign-in/" || { echo "gunicorn did not start"; cat "$WORK/gunicorn.log"; exit 1; }

SINCE=$($PY -c 'from datetime import datetime, timezone; print(datetime.now(timezone.utc).isoformat())')
step "locust: $USERS users signing in over ${RAMP} s ($SPAWN_RATE a second), then $DURATION with all of them"
rm -f "$OUT"/stats_*.csv
set +e
.venv/bin/locust -f tests/load/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
  -u "$USERS" -r "$SPAWN_RATE" -t "${RUN_SECONDS}s" --stop-timeout 10 --only-summary \
  --csv "$OUT/stats" --loglevel WARNING 2>"$WORK/locust.log"
result=$?
set -e
if [ "$result" -ne 0 ]; then
  echo
  echo "FAILED: the load test had errors (locust exit status $result; see $OUT/locust.log)."
  tail -n 20 "$WORK/locust.log"
  exit 1
fi
step "Alerts of the episodes reported during the run"
DJANGO_SETTINGS_MODULE=config.settings $PY -m tests.load.alert_delivery "$SINCE" ||
  { echo "FAILED: alert emails were still pending or had failed (see $OUT/worker.log)."; exit 1; }
echo
echo "No errors. Figures: $OUT/stats_stats.csv (machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))."
