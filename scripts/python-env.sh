#!/usr/bin/env bash
# Create or update .venv from uv.lock (uv is installed with pip if it is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet uv || { echo "Could not install uv. Run: python3 -m pip install uv" >&2; exit 1; }
fi
PY=${PYTHON:-python3}
uv sync --frozen --quiet --python "$PY"
