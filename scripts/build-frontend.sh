#!/usr/bin/env bash
# Rebuild static/govuk/ from the govuk-frontend npm package.
#
# Only maintainers need Node/npm, and only to run this script. The compiled
# output is committed, so running or testing the app never needs Node.
#
# The GDS Transport font is licensed for use on gov.uk only, so we compile the
# Sass with $govuk-font-family set to Arial (and fall-backs) and do NOT ship the
# font files.
#
# Usage: scripts/build-frontend.sh [govuk-frontend version, default 6.6.0]
set -euo pipefail

VERSION="${1:-6.6.0}"
SASS_VERSION="${SASS_VERSION:-1}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$REPO_ROOT/static/govuk"
BUILD="$(mktemp -d "${TMPDIR:-/tmp}/govuk-build.XXXXXX")"
trap 'rm -rf "$BUILD"' EXIT

cd "$BUILD"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts \
  "govuk-frontend@$VERSION" "sass@$SASS_VERSION" >/dev/null

DIST="$BUILD/node_modules/govuk-frontend/dist"
INSTALLED="$(node -p "require('./node_modules/govuk-frontend/package.json').version")"

cat > "$BUILD/app.scss" <<'SCSS'
@use "govuk" with (
  $govuk-font-family: (Arial, "Liberation Sans", Helvetica, sans-serif),
  $govuk-include-default-font-face: false,
  $govuk-assets-path: "/static/govuk/assets/"
);
SCSS

npx --no-install sass \
  --load-path="$DIST" \
  --style=compressed \
  --no-source-map \
  --quiet-deps \
  "$BUILD/app.scss" "$BUILD/govuk-frontend.min.css"

if grep -q "GDS Transport" "$BUILD/govuk-frontend.min.css"; then
  echo "error: compiled CSS still references GDS Transport" >&2
  exit 1
fi

rm -rf "$OUT"
mkdir -p "$OUT/assets/images"
cp "$BUILD/govuk-frontend.min.css" "$OUT/govuk-frontend.min.css"
# ES module build (exports initAll etc.); strip the source map comment as the
# map is not shipped.
sed -e 's|//# sourceMappingURL=.*$||' "$DIST/govuk/govuk-frontend.min.js" > "$OUT/govuk-frontend.min.js"
cp "$DIST"/govuk/assets/images/* "$OUT/assets/images/"
cp "$DIST/govuk/assets/manifest.json" "$OUT/assets/manifest.json"
echo "$INSTALLED" > "$OUT/VERSION"

echo "Built govuk-frontend $INSTALLED into $OUT"
