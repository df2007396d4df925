#!/usr/bin/env bash
# `npm test`: installs and starts what is missing, builds (the end-to-end tests run
# the built worker as its own process), then runs every unit and end-to-end test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run build --silent
exec node --experimental-vm-modules --experimental-websocket --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js "$@"
