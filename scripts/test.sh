#!/usr/bin/env bash
# `npm test`: installs and starts what is missing, builds (the end-to-end tests run
# the built worker as its own process), then runs every unit and end-to-end test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run build --silent
results=$(mktemp)
trap 'rm -f "$results"' EXIT
status=0
node --experimental-vm-modules --experimental-websocket --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js \
  --json --outputFile="$results" "$@" || status=$?
# One plain closing line, whatever reporter Jest used.
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);' "$results" 2>/dev/null || true
exit "$status"
