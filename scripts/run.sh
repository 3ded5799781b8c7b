#!/usr/bin/env bash
# make run: migrate, seed the demo data and serve the app with its Celery worker and beat.
# Embedded default: SQLite and Celery's filesystem broker under var/. DATABASE_URL and
# CELERY_BROKER_URL point it at PostgreSQL and Redis instead. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-true}"
PORT="${PORT:-8000}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
PY=.venv/bin/python
$PY manage.py migrate --noinput >/dev/null
seed_output=$($PY manage.py seed_demo)

pids=()
stop() {
  trap - INT TERM EXIT
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/celery -A config worker -Q celery,reports --concurrency 2 --loglevel WARNING &
pids+=($!)
.venv/bin/celery -A config beat --loglevel WARNING &
pids+=($!)
$PY manage.py runserver "127.0.0.1:$PORT" --noreload &
pids+=($!)

cat <<TXT

  Children missing from care is running at http://127.0.0.1:$PORT/
  (web, Celery worker and beat; database: ${DATABASE_URL:-SQLite in var/}; broker: ${CELERY_BROKER_URL:-filesystem in var/})

$seed_output

  Press Ctrl-C to stop.

TXT
wait -n
