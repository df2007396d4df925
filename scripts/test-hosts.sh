#!/usr/bin/env bash
# `npm run test:hosts`: the api and two workers as if on three hosts. Each runs in its
# own network namespace, where 127.0.0.1 is its own empty loopback, and reaches
# PostgreSQL, Redis and the S3 server only over a private bridge (veth pairs on a /24
# of 10.213.x.0 that exists only on this machine). Redis and s3rver are private servers
# bound to the bridge address; PostgreSQL (listening on 127.0.0.1 only) is reached
# through a forwarder on the bridge address. There is no shared STORAGE_DIR (it points
# below a regular file, where nothing can create it): files go through the bucket only.
# A client on the host makes a video through the api's namespace address, downloads it
# (whole and with Range), checks it with ffprobe and deletes it.
#
# Needs root and `ip netns`; elsewhere it prints one line, "not available here: …", and
# exits 0. Expects a build (`npm run test:hosts` builds first). Bounded in time (under
# 2 minutes); everything it creates (namespaces, links, servers, database, temp dirs) is
# removed on exit, failure and interruption included.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node-env.sh
root=$PWD
t0=$SECONDS
deadline=$((SECONDS + 110))

step() { printf '\033[1;34m[test:hosts]\033[0m %s\n' "$*"; }
unavailable() {
  echo "test:hosts: not available here: $*"
  exit 0
}
die() {
  printf '\033[1;31m[test:hosts]\033[0m FAILED: %s\n' "$*" >&2
  exit 1
}
left() { echo $((deadline - SECONDS)); }

# --- can it run here? ------------------------------------------------------------
[ "$(id -u)" = 0 ] || unavailable "not root (network namespaces need root)"
command -v ip >/dev/null || unavailable "no ip command (iproute2)"
probe="bkprobe$$"
ip netns add "$probe" 2>/dev/null || unavailable "ip netns add fails (no network namespaces in this container)"
ip netns del "$probe"
ip link add "$probe" type bridge 2>/dev/null || unavailable "cannot create a bridge (ip link add type bridge fails)"
ip link del "$probe"
ip link add "$probe" type veth peer name "${probe}p" 2>/dev/null || unavailable "cannot create veth pairs (ip link add type veth fails)"
ip link del "$probe"
command -v redis-server >/dev/null || unavailable "no redis-server binary for the private Redis"
for tool in ffprobe curl; do command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup.sh installs it)"; done
[ -f dist/apps/api/src/main.js ] && [ -f dist/apps/worker/src/main.js ] || die "no build: run npm run build first (npm run test:hosts does)"

# --- names, addresses, teardown --------------------------------------------------
id=$(od -An -N2 -tx2 /dev/urandom | tr -d ' \n')
for _ in 1 2 3 4 5 6 7 8; do
  octet=$((RANDOM % 200 + 20))
  ip -4 addr show | grep -q "inet 10\.213\.$octet\." || break
done
net="10.213.$octet"
host_ip="$net.1"
br="bkbr$id"
names=(api w1 w2)
declare -A ns ip
ns[api]="bk-api-$id" ns[w1]="bk-w1-$id" ns[w2]="bk-w2-$id"
ip[api]="$net.2" ip[w1]="$net.3" ip[w2]="$net.4"
db="blinked_hosts_$id"
bucket=blinked-hosts
tmp=$(mktemp -d /tmp/blinked-hosts-XXXXXX)
pids=()
made_ns=()
made_br=
made_db=

pg_admin() {
  # One statement on the machine's PostgreSQL (host side, over loopback).
  node --input-type=module -e "import pg from 'pg'; const c = new pg.Client({ connectionString: 'postgres://postgres:postgres@127.0.0.1:5432/postgres' });
    await c.connect(); try { await c.query(process.argv[1]); } finally { await c.end(); }" "$1"
}

show_logs() {
  for f in "$tmp"/*.log; do
    [ -f "$f" ] || continue
    echo "──── $(basename "$f") (last 40 lines) ────" >&2
    tail -n 40 "$f" >&2
  done
}

teardown() {
  local code=$?
  trap - EXIT INT TERM
  [ "$code" = 0 ] || show_logs
  step "tearing down"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    # A process that ignores SIGTERM for 5 s is killed.
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  for n in "${made_ns[@]}"; do ip netns del "$n" 2>/dev/null || true; done
  [ -z "$made_br" ] || ip link del "$made_br" 2>/dev/null || true
  [ -z "$made_db" ] || pg_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" || echo "[test:hosts] could not drop database $db" >&2
  rm -rf "$tmp"
  if [ "$code" = 0 ]; then step "passed in $((SECONDS - t0)) s"; else printf '\033[1;31m[test:hosts]\033[0m failed after %s s\n' "$((SECONDS - t0))" >&2; fi
  exit "$code"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits until `check` succeeds, for at most what is left of the run; `what` names it.
wait_until() {
  local what=$1 pid=$2
  shift 2
  until "$@" 2>/dev/null; do
    [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || die "$what: the process exited"
    [ "$(left)" -gt 0 ] || die "timed out waiting for $what"
    sleep 0.2 # between polls of the condition
  done
}

# --- the network ------------------------------------------------------------------
step "network: bridge $br at $host_ip/24; namespaces ${ns[api]} (${ip[api]}), ${ns[w1]} (${ip[w1]}), ${ns[w2]} (${ip[w2]})"
ip link add "$br" type bridge
made_br=$br
ip addr add "$host_ip/24" dev "$br"
ip link set "$br" up
for n in "${names[@]}"; do
  ip netns add "${ns[$n]}"
  made_ns+=("${ns[$n]}")
  ip -n "${ns[$n]}" link set lo up
  # Deleting the namespace deletes the pair.
  ip link add "bk$id-$n" type veth peer name "bk$id-$n-p"
  ip link set "bk$id-$n-p" netns "${ns[$n]}"
  ip -n "${ns[$n]}" link set "bk$id-$n-p" name eth0
  ip -n "${ns[$n]}" addr add "${ip[$n]}/24" dev eth0
  ip -n "${ns[$n]}" link set eth0 up
  ip link set "bk$id-$n" master "$br" up
done

tcp_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2"; }
in_ns() { ip netns exec "$1" "${@:2}"; }
# Nothing on the host is reachable through a namespace's own loopback.
for port in 5432 6379; do
  if in_ns "${ns[api]}" bash -c "$(declare -f tcp_open); tcp_open 127.0.0.1 $port" 2>/dev/null; then
    die "127.0.0.1:$port answers inside ${ns[api]}: the namespace is not isolated"
  fi
done
step "isolated: 127.0.0.1:5432 and :6379 do not answer inside the namespaces"

# --- private services on the bridge address -----------------------------------------
mkdir -p "$tmp/redis" "$tmp/s3"
redis-server --bind "$host_ip" --port 6379 --save '' --appendonly no --protected-mode no --dir "$tmp/redis" >"$tmp/redis.log" 2>&1 &
pids+=($!)
redis_pid=$!
redis_ping() { timeout 2 bash -c "exec 3<>/dev/tcp/$host_ip/6379; printf 'PING\r\n' >&3; IFS= read -r line <&3; [[ \$line == +PONG* ]]"; }
wait_until "Redis on $host_ip:6379" "$redis_pid" redis_ping

node --openssl-legacy-provider test/support/s3rver-process.cjs "$tmp/s3" 9000 "$bucket" "$host_ip" >"$tmp/s3rver.log" 2>&1 &
pids+=($!)
s3_pid=$!
wait_until "s3rver on $host_ip:9000" "$s3_pid" grep -q '"port":9000' "$tmp/s3rver.log"

node test/hosts/tcp-forward.mjs "$host_ip" 5432 127.0.0.1 5432 >"$tmp/pg-forward.log" 2>&1 &
pids+=($!)
fwd_pid=$!
wait_until "the PostgreSQL forwarder on $host_ip:5432" "$fwd_pid" grep -q listening "$tmp/pg-forward.log"
pg_admin "CREATE DATABASE $db"
made_db=1
step "services on $host_ip: Redis :6379 (private), s3rver :9000 (bucket $bucket), PostgreSQL :5432 (forwarded), database $db"

# --- the api and two workers, one per namespace ---------------------------------------
# A regular file: STORAGE_DIR below it cannot be created by anyone.
: >"$tmp/not-a-directory"
storage_dir="$tmp/not-a-directory/storage"
start_app() {
  local n=$1 entry=$2
  shift 2
  mkdir -p "$tmp/$n/work" "$tmp/$n/tmp"
  # A clean environment and a working directory of its own (no .env is read), as on another host.
  (cd "$tmp/$n" && exec ip netns exec "${ns[$n]}" env -i PATH="$PATH" HOME="$tmp/$n" \
    NODE_ENV=test LOG_LEVEL=log SECRET_KEY=test-secret-key-that-is-long-enough-0123456789 BCRYPT_COST=4 \
    DATABASE_URL="postgres://postgres:postgres@$host_ip:5432/$db" REDIS_URL="redis://$host_ip:6379" QUEUE_PREFIX="hosts-$id" \
    STORAGE_DRIVER=s3 S3_BUCKET="$bucket" S3_ENDPOINT="http://$host_ip:9000" S3_ACCESS_KEY_ID=S3RVER S3_SECRET_ACCESS_KEY=S3RVER \
    STORAGE_DIR="$storage_dir" WORK_DIR="$tmp/$n/work" TMPDIR="$tmp/$n/tmp" LLM_PROVIDER=offline TTS_PROVIDER=espeak \
    "$@" node "$root/$entry") >"$tmp/$n.log" 2>&1 &
  pids+=($!)
  eval "${n}_pid=$!"
}
start_app api dist/apps/api/src/main.js HOST="${ip[api]}" PORT=8000
api_ready() { curl -sf -m 2 "http://${ip[api]}:8000/health/ready" >/dev/null; }
wait_until "the api on ${ip[api]}:8000 to be ready" "$api_pid" api_ready
step "api ready on http://${ip[api]}:8000 in ${ns[api]} ($((SECONDS - t0)) s)"
start_app w1 dist/apps/worker/src/main.js
start_app w2 dist/apps/worker/src/main.js
wait_until "worker 1 to start" "$w1_pid" grep -q 'blinked worker .* started' "$tmp/w1.log"
wait_until "worker 2 to start" "$w2_pid" grep -q 'blinked worker .* started' "$tmp/w2.log"
step "workers started in ${ns[w1]} and ${ns[w2]} ($((SECONDS - t0)) s)"

# --- a video, from the host, through the api's namespace address ---------------------
[ "$(left)" -gt 5 ] || die "no time left for the video"
timeout "$(left)" node test/hosts/client.mjs "http://${ip[api]}:8000" "$tmp/s3/$bucket" || die "the client's check failed (or ran out of time)"

for n in w1 w2; do
  did=$(grep -oE 'deck of [0-9]+ slides|completed, [0-9.]+ s' "$tmp/$n.log" | paste -sd ';' - || true)
  step "worker $n: ${did:-no deck or stitch (voice jobs are not logged)}"
done
for n in "${names[@]}"; do
  [ -z "$(ls -A "$tmp/$n/work")" ] || die "$n left files in its WORK_DIR: $(ls -A "$tmp/$n/work")"
done
[ ! -e "$storage_dir" ] || die "STORAGE_DIR $storage_dir exists"
# The processes log JSON lines (NODE_ENV=test): an error is a line at level error or fatal.
errors='"level":"(error|fatal)"'
if grep -qE "$errors" "$tmp"/{api,w1,w2}.log; then die "an error was logged: $(grep -hE "$errors" "$tmp"/{api,w1,w2}.log | head -n 3)"; fi
step "work folders empty, no STORAGE_DIR, no error in the logs"
