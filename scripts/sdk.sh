#!/usr/bin/env bash
# `npm run sdk`: regenerates packages/sdk/src/gen from openapi.json with the pinned
# @hey-api/openapi-ts. `npm run sdk -- --check` writes nothing: it generates into a
# temporary folder and fails, printing the difference, when the committed code differs.
set -euo pipefail
cd "$(dirname "$0")/.."
out=packages/sdk/src/gen
generate() {
  node_modules/.bin/openapi-ts --input openapi.json --output "$1" --client @hey-api/client-fetch --silent >/dev/null
}
if [ "${1:-}" = --check ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  generate "$tmp/gen"
  if ! diff -ru "$out" "$tmp/gen" >"$tmp/diff"; then
    echo "sdk: $out is not what openapi.json generates (- committed, + generated):" >&2
    sed "s#$tmp/gen#(generated)#" "$tmp/diff" | head -200 >&2
    echo 'Run `npm run sdk` and commit the result.' >&2
    exit 1
  fi
  exit 0
fi
rm -rf "$out"
generate "$out"
echo "sdk: wrote $out from openapi.json"
