#!/usr/bin/env bash
# Make sure the Debian packages a target needs are present. As root (CI, these machines) it installs
# what is missing with apt-get; otherwise it stops and prints the exact command to run.
# Usage: scripts/system-packages.sh run|test
set -euo pipefail
need=()
have_pg() { [ -x "$(pg_config --bindir 2>/dev/null)/postgres" ] || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; }
# Both: the same PostgreSQL and Redis as production, and the fonts the pack PDF is drawn with.
have_pg || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
[ -e /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || need+=(fonts-liberation)
case "${1:-test}" in
  run) ;;
  test)  # browser tests, and reading the PDFs back
    command -v chromium >/dev/null || need+=(chromium)
    command -v pdftotext >/dev/null || need+=(poppler-utils)
    ;;
esac
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Missing system packages. Install them with:" >&2
  echo "  sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
