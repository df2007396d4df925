#!/usr/bin/env bash
# `npm run bench`: every benchmark in turn, one after another (they share two cores, so never
# at once), each measuring its baseline in the same run. Each prints its progress and then one
# JSON line per figure; the collected JSON lines are repeated at the end.
# `npm run bench:<name>` runs one: poll, stitch, slides, e2e, finish, rss, throughput.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node-env.sh
results=$(mktemp)
trap 'rm -f "$results"' EXIT
run() {
  printf '\033[1;34m[bench]\033[0m %s\n' "$*" >&2
  # Everything to stderr as it comes, the JSON lines also kept (not `tee /dev/stderr`: with
  # stderr redirected to a file, that reopens and truncates it).
  node "$@" | while IFS= read -r line; do
    printf '%s\n' "$line" >&2
    case $line in '{"bench"'*) printf '%s\n' "$line" >>"$results" ;; esac
  done
}
run dist/scripts/bench-poll.js
run dist/scripts/bench-stitch.js
run dist/scripts/bench-slides.js
run dist/scripts/bench-pipeline.js e2e
run dist/scripts/bench-pipeline.js finish
run dist/scripts/bench-pipeline.js rss
run dist/scripts/bench-pipeline.js throughput
printf '\033[1;34m[bench]\033[0m all figures (medians; spread per figure):\n' >&2
cat "$results"
