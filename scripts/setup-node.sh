#!/usr/bin/env bash
# The Node.js runtime and the npm packages, and nothing else (no services, no root):
# enough for format, lint and type checks. Part of scripts/setup.sh; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node-env.sh

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }
log "node $(node --version) ($(command -v node)), npm $(npm --version)"

# `npm ci`, not `npm install`: the lockfile is complete (every platform's optional
# binaries are in it), so `npm ci` installs exactly what it pins and never rewrites it,
# and a fresh clone stays clean; a package.json edited without `npm install` fails here
# instead of drifting. Only when node_modules is missing or older than the lockfile.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
