#!/usr/bin/env bash
# Makes this machine ready to build, run and test BlinkEd, and is safe to run again:
#   - Node.js >= 22.12 (a project-local one in .runtime/ when the machine's is older)
#     and the npm packages, when node_modules is missing or older than package-lock.json
#     (scripts/setup-node.sh);
#   - Debian packages that are missing (PostgreSQL, Redis, ffmpeg, Festival and its voice,
#     espeak-ng, fonts);
#   - PostgreSQL and Redis on 127.0.0.1, started only when nothing answers there;
#   - the application database, created when missing.
# It never touches a PostgreSQL or Redis that DATABASE_URL / REDIS_URL point elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-node.sh
. scripts/node-env.sh

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[setup]\033[0m %s\n' "$*" >&2; exit 1; }
answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

[ -f .env ] && { set -a; . ./.env; set +a; }
DATABASE_URL="${DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/blinked}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"

# --- Debian packages -------------------------------------------------------------
need=()
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || need+=(ffmpeg)
# The offline voices: Festival with the HTS voice speaks English (the default narrator),
# espeak-ng every language Festival lacks.
command -v festival >/dev/null || need+=(festival)
[ -d /usr/share/festival/voices/us/cmu_us_slt_arctic_hts ] || need+=(festvox-us-slt-hts)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v fc-list >/dev/null || need+=(fontconfig)
command -v curl >/dev/null || need+=(curl)
# Fonts the slide renderer registers: Latin/Cyrillic/Greek, the other scripts, and CJK.
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
[ -d /usr/share/fonts/truetype/noto ] || need+=(fonts-noto-core)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
# Headless Chromium for the playback tests (a file ffprobe likes can still play wrong).
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pg_ctlcluster >/dev/null || command -v pg_ctl >/dev/null || answers 127.0.0.1 5432 || need+=(postgresql)
command -v psql >/dev/null || need+=(postgresql-client)
# redis-server and redis-cli also for the tests' private servers (a cluster, a sentinel,
# the multi-host run), even where a Redis already answers on 127.0.0.1.
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-cli >/dev/null || need+=(redis-tools)
# Compose's own validation of docker-compose.yml (test/docker-compose.spec.ts), which
# needs no Docker engine: Debian's docker-compose where the v2 plugin is missing.
{ command -v docker >/dev/null && docker compose version >/dev/null 2>&1; } || command -v docker-compose >/dev/null || need+=(docker-compose)
# `ip netns` for npm run test:hosts (api and workers in their own network namespaces).
command -v ip >/dev/null || need+=(iproute2)
if [ ${#need[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "missing ${need[*]} and no apt-get: install them by hand"
  log "installing Debian packages: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# promtool, Prometheus's rule checker, for test/monitoring.spec.ts: taken from Debian's
# prometheus package and unpacked into the git-ignored .runtime/tools/, not installed
# (installing the package would also set up and start a Prometheus server).
if ! command -v promtool >/dev/null && [ ! -x .runtime/tools/promtool ]; then
  command -v apt-get >/dev/null || die "missing promtool and no apt-get: put promtool on PATH"
  log "unpacking promtool from Debian's prometheus package into .runtime/tools/"
  tools_tmp=$(mktemp -d)
  chmod 755 "$tools_tmp" # apt's download sandbox user writes here
  (cd "$tools_tmp" && { apt-get download prometheus >/dev/null 2>&1 || { as_root apt-get update -qq && apt-get download prometheus >/dev/null; }; })
  dpkg-deb -x "$tools_tmp"/prometheus_*.deb "$tools_tmp/x"
  mkdir -p .runtime/tools && install -m 755 "$tools_tmp/x/usr/bin/promtool" .runtime/tools/promtool
  rm -rf "$tools_tmp"
fi

# --- PostgreSQL ------------------------------------------------------------------
db_host=$(node -e 'console.log(new URL(process.argv[1]).hostname)' "$DATABASE_URL")
db_port=$(node -e 'console.log(new URL(process.argv[1]).port || 5432)' "$DATABASE_URL")
db_name=$(node -e 'console.log(decodeURIComponent(new URL(process.argv[1]).pathname.slice(1)) || "blinked")' "$DATABASE_URL")
local_db=false; case "$db_host" in 127.0.0.1|localhost|::1|\[::1\]) local_db=true;; esac
if ! answers "$db_host" "$db_port"; then
  $local_db || die "PostgreSQL at $db_host:$db_port does not answer (DATABASE_URL)"
  log "starting PostgreSQL on 127.0.0.1:$db_port"
  if command -v pg_ctlcluster >/dev/null; then
    version=$(ls /etc/postgresql | sort -V | tail -1)
    [ -n "$version" ] || die "PostgreSQL is installed but has no cluster in /etc/postgresql"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || as_root pg_ctlcluster "$version" main start
  else
    die "cannot start PostgreSQL: no pg_ctlcluster"
  fi
  for _ in $(seq 1 50); do answers "$db_host" "$db_port" && break; sleep 0.2; done
  answers "$db_host" "$db_port" || die "PostgreSQL did not come up on 127.0.0.1:$db_port"
fi
if $local_db; then
  # A fresh Debian cluster asks TCP clients for a password: give the postgres role
  # the one in DATABASE_URL (over the local socket, where the OS user is trusted).
  db_pass=$(node -e 'console.log(decodeURIComponent(new URL(process.argv[1]).password))' "$DATABASE_URL")
  if [ -n "$db_pass" ] && command -v runuser >/dev/null && id postgres >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- psql -qXtAc "ALTER ROLE postgres PASSWORD '${db_pass//\'/\'\'}'" >/dev/null 2>&1 || true
  fi
fi
admin_url=$(node -e 'const u=new URL(process.argv[1]); u.pathname="/postgres"; console.log(u.toString())' "$DATABASE_URL")
if ! psql "$admin_url" -qXtAc "SELECT 1 FROM pg_database WHERE datname = '$db_name'" | grep -q 1; then
  log "creating database $db_name"
  psql "$admin_url" -qXc "CREATE DATABASE \"$db_name\"" >/dev/null
fi

# --- Redis -----------------------------------------------------------------------
r_host=$(node -e 'console.log(new URL(process.argv[1]).hostname)' "$REDIS_URL")
r_port=$(node -e 'console.log(new URL(process.argv[1]).port || 6379)' "$REDIS_URL")
if ! answers "$r_host" "$r_port"; then
  case "$r_host" in 127.0.0.1|localhost) ;; *) die "Redis at $r_host:$r_port does not answer (REDIS_URL)";; esac
  log "starting Redis on 127.0.0.1:$r_port"
  mkdir -p /tmp/blinked-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$r_port" --save "" --appendonly no \
    --dir /tmp/blinked-redis --logfile /tmp/blinked-redis/redis.log
  for _ in $(seq 1 50); do answers "$r_host" "$r_port" && break; sleep 0.1; done
  answers "$r_host" "$r_port" || die "Redis did not come up on 127.0.0.1:$r_port"
fi
log "ready: PostgreSQL $db_host:$db_port/$db_name, Redis $r_host:$r_port"
