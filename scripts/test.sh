#!/usr/bin/env bash
# `npm test`: installs what is missing, builds, checks the API contract (openapi.json),
# format, lint and types, then starts the services and runs every unit and end-to-end
# test (the end-to-end tests run the built api and worker as processes of their own).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node-env.sh

# The static checks need only Node and the npm packages, and take seconds where the
# suite takes minutes: they run first, before any Debian package or service.
bash scripts/setup-node.sh
check() {
  local what=$1 fix=$2; shift 2
  printf '\033[1;34m[test]\033[0m %s\n' "$what" >&2
  "$@" || { printf '\033[1;31m[test]\033[0m %s failed: %s\n' "$what" "$fix" >&2; exit 1; }
}
# The API contract first: a change to the document must be a reviewed change to openapi.json.
check 'build (tsc)' 'see the messages above; `npm run build` repeats them' npm run --silent build
check 'API contract (openapi.json is what the code produces)' 'if the change is intended, run `npm run openapi` and commit openapi.json' \
  node dist/apps/api/src/openapi.cli.js --check
check 'API contract lint (redocly, recommended rules)' 'see the messages above; `npm run openapi:lint` repeats them' npm run --silent openapi:lint
check 'SDK (packages/sdk/src/gen is what openapi.json generates)' 'run `npm run sdk` and commit packages/sdk/src/gen' bash scripts/sdk.sh --check
check 'format (prettier --check)' 'run `npm run format`, then review and commit' npm run --silent format:check
check 'lint (eslint)' 'see the messages above; `npm run lint` repeats them' npm run --silent lint
check 'types (tsc --noEmit)' 'see the messages above; `npm run typecheck` repeats them' npm run --silent typecheck

bash scripts/setup.sh
results=$(mktemp)
trap 'rm -f "$results"' EXIT
status=0
# vm modules: Jest's native ESM mode. (WebSocket, used by the Chromium tests, is a global
# since Node 22: no flag.)
node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js \
  --json --outputFile="$results" "$@" || status=$?
# One plain closing line, whatever reporter Jest used.
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);' "$results" 2>/dev/null || true
# The api and two workers in separate network namespaces, sharing no disk and no loopback
# (`npm run test:hosts`). It needs root and `ip netns`, and says in one line why it did
# not run where they are missing; its failure fails the run. Only with the whole suite.
if [ $# -eq 0 ]; then
  bash scripts/test-hosts.sh || status=$?
else
  echo "test:hosts: not run: Jest was given arguments ($*); run npm run test:hosts for it"
fi
exit "$status"
