#!/usr/bin/env bash
# `npm run demo [-- "your prompt"]`: on a fresh Debian/Ubuntu machine, installs what is
# missing, starts PostgreSQL and Redis if nothing answers, builds, starts the api and a
# worker as separate processes, makes one video through the REST API with a live
# progress bar, saves it to ./out/, and stops what it started. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node-env.sh

bash scripts/setup.sh
npm run build --silent

mkdir -p out/logs
# Port 8000 unless taken (or PORT says otherwise): then the next free one.
port="${PORT:-8000}"
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
export PORT="$port" HOST=127.0.0.1

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

node dist/apps/api/src/main.js >out/logs/api.log 2>&1 & pids+=($!)
# Its metrics and health listener on any free port: the demo reads neither, and 9464 may be taken.
WORKER_HTTP_PORT=0 node dist/apps/worker/src/main.js >out/logs/worker.log 2>&1 & pids+=($!)

base="http://127.0.0.1:$port"
printf 'Starting the api (%s) and a worker' "$base"
for _ in $(seq 1 150); do
  if curl -fsS "$base/health/ready" >/dev/null 2>&1; then break; fi
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo; echo "A process stopped while starting; its log:" >&2
      tail -n 20 out/logs/api.log out/logs/worker.log >&2
      exit 1
    fi
  done
  printf '.'; sleep 0.2
done
curl -fsS "$base/health/ready" >/dev/null || { echo; echo "the api did not become ready; see out/logs/api.log" >&2; exit 1; }
echo " ready (docs at $base/docs)"

node dist/scripts/demo-client.js "$base" "$@" || { echo "logs: out/logs/api.log, out/logs/worker.log" >&2; exit 1; }
