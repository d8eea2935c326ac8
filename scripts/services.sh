#!/usr/bin/env bash
# Provision the two services the bot needs, on loopback, for development and tests:
#   - Redis 7 (BullMQ): Debian's redis-server, AOF on, noeviction.
#   - a MongoDB-wire server: a set MONGODB_URI, else `mongod` from PATH, else FerretDB 1.24.2
#     on PostgreSQL: Debian's postgresql (installed with apt-get when missing), a cluster in
#     .cache/pg owned by a non-root user (`postgres` when we are root), on loopback with its
#     socket in .cache/pg/run; FerretDB built from source with Go 1.24+ into .cache/bin on
#     first use (a few minutes; see shared/reference/ferretdb.md).
#
# Usage: bash scripts/services.sh up|down|status
#
#   up      start (or reuse) both, then write .cache/services.env with MONGODB_URI and REDIS_URL
#   down    stop what this script started (by pid file); leaves data in place
#   status  show what is running
#
# A set MONGODB_URI / REDIS_URL wins: that service is not provisioned at all.
# Environment knobs: SERVICES_REDIS_PORT (16379), SERVICES_MONGO_PORT (27117),
# SERVICES_DEBUG_PORT (28088, FerretDB's metrics listener), SERVICES_PG_PORT (15432, the
# PostgreSQL under FerretDB), SERVICES_PG_USER (the OS user owning the cluster when run as
# root; default postgres, created if missing), SERVICES_CACHE_DIR (.cache),
# SERVICES_WAIT_SECONDS (60, readiness timeout).
# `up` and `down` talk on stderr only; `status` prints its report on stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${SERVICES_CACHE_DIR:-$ROOT/.cache}"
case "$CACHE" in /*) ;; *) CACHE="$PWD/$CACHE" ;; esac
REDIS_PORT="${SERVICES_REDIS_PORT:-16379}"
MONGO_PORT="${SERVICES_MONGO_PORT:-27117}"
DEBUG_PORT="${SERVICES_DEBUG_PORT:-28088}"
PG_PORT="${SERVICES_PG_PORT:-15432}"
WAIT_SECONDS="${SERVICES_WAIT_SECONDS:-60}"

FERRETDB_MODULE="github.com/FerretDB/FerretDB"
FERRETDB_VERSION="v1.24.2"

RUN="$CACHE/run"        # pid files, lock, markers of what we provisioned
LOGS="$CACHE/log"
BIN="$CACHE/bin"
ENV_FILE="$CACHE/services.env"

say() { printf 'services: %s\n' "$*" >&2; }
die() { printf 'services: %s\n' "$*" >&2; exit 1; }

# --- small helpers -------------------------------------------------------------------------

# TCP connect to 127.0.0.1:PORT succeeds (bash's /dev/tcp; no nc needed).
port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Echo the pid from pid file NAME if that process is alive and its command line contains
# PATTERN (guards against a recycled pid after a reboot).
our_pid() {
  local file="$RUN/$1.pid" pid
  [[ -s "$file" ]] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2" || return 1
  echo "$pid"
}

redis_ping() { [[ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

# Ping a MongoDB-wire server with the official driver (installed with mongoose), retrying
# every 0.2 s for up to $2 seconds, or until pid $3 (if given) has exited. On success prints
# "MongoDB x.y.z" or "FerretDB vx.y.z". Exit 3: node_modules/mongodb is missing.
# shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
MONGO_PING_JS='
const [uri, seconds, pid] = process.argv.slice(1);
let MongoClient;
try { ({ MongoClient } = await import("mongodb")); } catch { process.exit(3); }
const deadline = Date.now() + Number(seconds) * 1000;
for (;;) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
  try {
    await client.db("admin").command({ ping: 1 });
    const info = await client.db("admin").command({ buildInfo: 1 });
    console.log(info.ferretdbVersion ? `FerretDB ${info.ferretdbVersion}` : `MongoDB ${info.version}`);
    await client.close();
    process.exit(0);
  } catch (err) {
    await client.close().catch(() => {});
    let alive = true;
    if (pid) { try { process.kill(Number(pid), 0); } catch { alive = false; } }
    if (!alive || Date.now() > deadline) { console.error(String(err?.message ?? err)); process.exit(1); }
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}'

mongo_ready() { # URI SECONDS [PID]
  local rc=0 out
  out="$(cd "$ROOT" && node --input-type=module -e "$MONGO_PING_JS" "$1" "$2" "${3:-}")" || rc=$?
  if [[ $rc == 3 || $rc == 127 ]]; then
    # No driver yet (npm ci not run): a TCP answer is the best we can check.
    say "mongo: node_modules/mongodb not available, checking the port only"
    wait_for "$2" port_open "$MONGO_PORT" && echo "unknown server" && return 0
    return 1
  fi
  [[ $rc == 0 ]] && echo "$out" && return 0
  return 1  # the driver's error is already on stderr
}

# Exec "$@" with only stdin/stdout/stderr open: a long-lived server must not hold our lock
# file or a caller's pipes (a test runner or CI waits for those to close). Use in a subshell.
detached() {
  local fd
  for fd in /proc/"$BASHPID"/fd/*; do
    fd="${fd##*/}"
    (( fd > 2 )) && eval "exec $fd>&-"
  done
  exec "$@"
}

wait_for() { # SECONDS COMMAND... : bounded poll every 0.2 s
  local tries=$(( $1 * 5 )); shift
  while (( tries-- > 0 )); do
    "$@" && return 0
    sleep 0.2
  done
  return 1
}

# --- prerequisites -------------------------------------------------------------------------

go_usable() { # Go >= 1.24 (FerretDB 1.24.2's go.mod), or >= 1.21 that may switch toolchains
  command -v go >/dev/null || return 1
  local v major minor
  v="$(go env GOVERSION 2>/dev/null)"; v="${v#go}"
  major="${v%%.*}"; minor="${v#*.}"; minor="${minor%%[!0-9]*}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  (( major > 1 || minor >= 24 )) && return 0
  (( minor >= 21 )) && [[ "$(go env GOTOOLCHAIN)" != local ]]
}

ferretdb_ok() { [[ -x "$BIN/ferretdb" ]] && "$BIN/ferretdb" --version >/dev/null 2>&1; }

can_apt() { [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; }

# Check everything up front, so a missing tool is reported before anything is started.
preflight() {
  local problems=()
  if [[ -z "${REDIS_URL:-}" ]] && ! command -v redis-server >/dev/null && ! can_apt; then
    problems+=("Redis: redis-server is not installed and this is not root with apt-get." \
      "  Install Redis 7 (Debian/Ubuntu: sudo apt-get install redis-server) or set REDIS_URL=redis://HOST:PORT.")
  fi
  if [[ -z "${MONGODB_URI:-}" ]] && ! port_open "$MONGO_PORT" && ! command -v mongod >/dev/null \
      && ! ferretdb_ok && ! go_usable; then
    problems+=("MongoDB: MONGODB_URI is not set, no mongod is on PATH, there is no FerretDB at" \
      "  $BIN/ferretdb, and no Go 1.24+ to build FerretDB $FERRETDB_VERSION." \
      "  Install Go 1.24 or newer (then re-run), or put a MongoDB 7+ mongod on PATH, or set" \
      "  MONGODB_URI=mongodb://HOST:PORT/ to a running MongoDB 7+ / FerretDB 1.24 server.")
  fi
  if [[ -z "${MONGODB_URI:-}" ]] && ! port_open "$MONGO_PORT" && ! command -v mongod >/dev/null \
      && ! pg_bindir >/dev/null && ! can_apt; then
    problems+=("PostgreSQL (under FerretDB): no initdb/pg_ctl found and this is not root with apt-get." \
      "  Install PostgreSQL 13+ (Debian/Ubuntu: sudo apt-get install postgresql), or set MONGODB_URI.")
  fi
  if (( ${#problems[@]} )); then
    printf 'services: cannot provision the services:\n' >&2
    printf '  %s\n' "${problems[@]}" >&2
    # shellcheck disable=SC2016 # literal backquotes
    echo '  Or run the services with `docker compose up -d` and set MONGODB_URI and REDIS_URL.' >&2
    exit 1
  fi
}

# --- Redis ---------------------------------------------------------------------------------

ensure_redis_installed() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  can_apt || die "redis-server/redis-cli missing; install Debian's redis-server or set REDIS_URL"
  say "redis: redis-server not found, installing Debian's redis-server with apt-get"
  # detached: the package's postinst may start a system redis that would inherit our fds.
  ( export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && detached apt-get install -y -qq redis-server ) >&2 \
    || die "apt-get install redis-server failed; install Redis 7 yourself or set REDIS_URL"
}

ensure_redis() {
  if [[ -n "${REDIS_URL:-}" ]]; then
    rm -f "$RUN/redis.url"  # not ours: tests must not assume our configuration
    say "redis: using the REDIS_URL you set"
    return
  fi
  ensure_redis_installed
  local url="redis://127.0.0.1:$REDIS_PORT" pid policy
  if redis_ping; then
    if pid="$(our_pid redis redis-server)"; then
      say "redis: reused redis-server (pid $pid) on 127.0.0.1:$REDIS_PORT"
    else
      say "redis: reused the Redis already answering on 127.0.0.1:$REDIS_PORT (not started by this script)"
    fi
    # BullMQ loses jobs under any eviction policy, so flag a reused server configured otherwise.
    policy="$(timeout 2 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" config get maxmemory-policy 2>/dev/null | sed -n 2p || true)"
    [[ "$policy" == noeviction ]] || say "redis: WARNING maxmemory-policy is '$policy', BullMQ needs 'noeviction'"
  elif port_open "$REDIS_PORT"; then
    die "port $REDIS_PORT answers but not as Redis; set SERVICES_REDIS_PORT to a free port or REDIS_URL"
  else
    mkdir -p "$CACHE/redis"
    # AOF + noeviction: queued jobs survive restarts and are never evicted; no RDB snapshots.
    ( detached redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$CACHE/redis" \
      --appendonly yes --appendfsync everysec --maxmemory-policy noeviction --save '' \
      --pidfile "$RUN/redis.pid" --logfile "$LOGS/redis.log" ) </dev/null >&2
    if ! wait_for "$WAIT_SECONDS" redis_ping; then
      tail -n 20 "$LOGS/redis.log" >&2 || true
      die "redis-server did not answer PING within ${WAIT_SECONDS}s (log: $LOGS/redis.log)"
    fi
    say "redis: started redis-server (pid $(our_pid redis redis-server || echo '?')) on 127.0.0.1:$REDIS_PORT, data in $CACHE/redis"
  fi
  REDIS_URL="$url"
  echo "$url" >"$RUN/redis.url"  # marks "provisioned by services.sh" for the tests
}

# --- MongoDB wire server -------------------------------------------------------------------

# FerretDB 1.24.2 from source. `go install ...@v1.24.2` cannot be used: the module proxy
# answers 403 to the deprecation check, and a binary built that way panics at start because
# build/version/version.txt (normally generated by FerretDB's own build) is absent. So: a
# throw-away module that depends on FerretDB, with FerretDB replaced by a writable copy of
# its module source plus version.txt.
build_ferretdb() {
  local dir="$CACHE/ferretdb-build" src
  say "mongo: building FerretDB $FERRETDB_VERSION with $(go env GOVERSION) (first time takes a few minutes)"
  rm -rf "$dir"
  mkdir -p "$dir" "$BIN"
  printf 'module ferretdb-build\n\ngo 1.24\n' >"$dir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s/cmd/ferretdb"\n' "$FERRETDB_MODULE" >"$dir/tools.go"
  # `&&` chain: `set -e` does not apply inside a subshell whose status is tested.
  (
    cd "$dir" \
      && export GOFLAGS="-mod=mod -buildvcs=false" \
      && go get "$FERRETDB_MODULE@$FERRETDB_VERSION" \
      && src="$(go list -m -f '{{.Dir}}' "$FERRETDB_MODULE")" \
      && cp -R "$src" ferretdb-src \
      && chmod -R u+w ferretdb-src \
      && echo "$FERRETDB_VERSION" >ferretdb-src/build/version/version.txt \
      && go mod edit -replace="$FERRETDB_MODULE=./ferretdb-src" \
      && go build -o "$BIN/ferretdb.tmp" "$FERRETDB_MODULE/cmd/ferretdb"
  ) >&2 || die "building FerretDB failed (see above). Alternatives: set MONGODB_URI, put mongod on PATH, or use \`docker compose up -d\`"
  mv -f "$BIN/ferretdb.tmp" "$BIN/ferretdb"
  "$BIN/ferretdb" --version >/dev/null 2>&1 || die "the FerretDB binary built at $BIN/ferretdb does not run"
}

# --- PostgreSQL (FerretDB's storage) -----------------------------------------------------

PG="$CACHE/pg"          # data/ (the cluster), run/ (its socket), owned by the cluster's user
PG_ROLE=ferretdb        # superuser of our cluster (trust auth, loopback and socket only)
PG_DB=ferretdb
PG_LOG=""               # the server's log (set by pg_owner)
PG_AS=()                # prefix running a command as the cluster's OS user (root: runuser)

# Echo the directory holding initdb, pg_ctl and postgres: PATH first, else the newest
# /usr/lib/postgresql/*/bin (Debian keeps them off PATH).
pg_bindir() {
  local d
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    d="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
    [[ -x "$d/initdb" && -x "$d/postgres" ]] && echo "$d" && return 0
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5nr); do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]] && echo "$d" && return 0
  done
  return 1
}

pg_ready() { "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 2>/dev/null; }

ensure_pg_installed() {
  PGBIN="$(pg_bindir)" && return 0
  can_apt || die "PostgreSQL is not installed; install Debian's postgresql or set MONGODB_URI"
  say "postgres: not found, installing Debian's postgresql with apt-get"
  ( export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && detached apt-get install -y -qq postgresql ) >&2 \
    || die "apt-get install postgresql failed; install PostgreSQL yourself or set MONGODB_URI"
  PGBIN="$(pg_bindir)" || die "postgresql installed but no initdb/pg_ctl found under /usr/lib/postgresql"
}

# PostgreSQL refuses to run as root: as root, the cluster belongs to SERVICES_PG_USER
# (default postgres, which Debian's package creates; created here as a system user if not).
pg_owner() {
  [[ "$(id -u)" == 0 ]] || { mkdir -p "$PG/run"; PG_LOG="$LOGS/postgres.log"; return 0; }
  local user="${SERVICES_PG_USER:-postgres}" alt
  if ! id "$user" >/dev/null 2>&1; then
    say "postgres: creating the system user $user to own the cluster"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user" >&2 \
      || die "could not create the system user $user; set SERVICES_CACHE_DIR elsewhere or SERVICES_PG_USER to an existing non-root user"
  fi
  PG_AS=(runuser -u "$user" --)
  # A checkout under a private home (/root is 0700) is out of that user's reach: then the
  # cluster lives in /var/lib/so-lien-lac/<hash of the cache path>, and .cache/pg links to it.
  if [[ ! -L "$PG" ]] && ! "${PG_AS[@]}" test -x "$CACHE"; then
    alt="/var/lib/so-lien-lac/pg-$(printf '%s' "$CACHE" | sha256sum | cut -c1-12)"
    say "postgres: $user cannot reach $CACHE; the cluster goes to $alt (linked from $PG)"
    mkdir -p "$alt"
    [[ -d "$PG" ]] && cp -a "$PG/." "$alt/" && rm -rf "$PG"
    ln -s "$alt" "$PG"
  fi
  [[ -L "$PG" ]] && PG="$(readlink -f "$PG")"
  mkdir -p "$PG/run"
  chown -R "$user:" "$PG"
  # The server writes its log as that user, so the log lives with the cluster.
  PG_LOG="$PG/postgres.log"
  touch "$PG_LOG" && chown "$user:" "$PG_LOG" && ln -sfn "$PG_LOG" "$LOGS/postgres.log"
  "${PG_AS[@]}" test -w "$PG/run" || die "user $user cannot write to $PG/run"
}

ensure_pg() {
  ensure_pg_installed
  local pid
  if pg_ready; then
    if pid="$(our_pid postgres postgres)"; then
      say "postgres: reused PostgreSQL (pid $pid) on 127.0.0.1:$PG_PORT"
    else
      say "postgres: reused the PostgreSQL already answering on 127.0.0.1:$PG_PORT (not started by this script)"
    fi
    return
  fi
  port_open "$PG_PORT" && die "port $PG_PORT answers but not as PostgreSQL; set SERVICES_PG_PORT to a free port"
  pg_owner
  chmod 700 "$PG"
  if [[ ! -s "$PG/data/PG_VERSION" ]]; then
    rm -rf "$PG/data"
    say "postgres: creating a cluster in $PG/data ($("$PGBIN/postgres" --version))"
    "${PG_AS[@]}" "$PGBIN/initdb" -D "$PG/data" -U "$PG_ROLE" -A trust -E UTF8 --locale=C >>"$PG_LOG" 2>&1 \
      || { tail -n 20 "$PG_LOG" >&2; die "initdb failed (log: $PG_LOG)"; }
  fi
  # Loopback TCP and a socket in .cache only; pg_ctl -w returns once it accepts connections.
  ( detached "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$PG/data" -l "$PG_LOG" -w -t "$WAIT_SECONDS" \
      -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG/run" start ) </dev/null >/dev/null 2>&1 \
    || { tail -n 20 "$PG_LOG" >&2; die "PostgreSQL did not start on 127.0.0.1:$PG_PORT (log: $PG_LOG)"; }
  head -n 1 "$PG/data/postmaster.pid" >"$RUN/postgres.pid"
  say "postgres: started PostgreSQL (pid $(cat "$RUN/postgres.pid")) on 127.0.0.1:$PG_PORT, data in $PG/data"
}

pg_database() { # create FerretDB's database once
  local psql=("${PG_AS[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_ROLE" -d postgres -qtA)
  [[ "$("${psql[@]}" -c "select 1 from pg_database where datname = '$PG_DB'" 2>/dev/null)" == 1 ]] && return 0
  "${psql[@]}" -c "create database $PG_DB" >&2 || die "could not create the database $PG_DB in PostgreSQL on port $PG_PORT"
}

pg_gin_twins() { # index-backed equality reads for FerretDB (scripts/ferretdb-pg-indexes.sql says why); idempotent
  "${PG_AS[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_ROLE" -d "$PG_DB" -qtA -v ON_ERROR_STOP=1 \
    <"$ROOT/scripts/ferretdb-pg-indexes.sql" >/dev/null 2>&1 \
    || die "could not apply scripts/ferretdb-pg-indexes.sql to PostgreSQL on port $PG_PORT"
}

start_ferretdb() {
  ferretdb_ok || build_ferretdb
  port_open "$DEBUG_PORT" && die "FerretDB's debug port $DEBUG_PORT is taken; set SERVICES_DEBUG_PORT to a free port"
  ensure_pg
  pg_database
  pg_gin_twins
  mkdir -p "$CACHE/ferretdb"
  # setsid + nohup: the server outlives this shell and the terminal / test runner that ran it.
  ( detached setsid nohup "$BIN/ferretdb" --handler=postgresql \
    --postgresql-url="postgres://$PG_ROLE@127.0.0.1:$PG_PORT/$PG_DB" \
    --state-dir="$CACHE/ferretdb" --listen-addr="127.0.0.1:$MONGO_PORT" \
    --debug-addr="127.0.0.1:$DEBUG_PORT" --telemetry=disable --log-level=warn \
    ) </dev/null >>"$LOGS/ferretdb.log" 2>&1 &
  echo $! >"$RUN/ferretdb.pid"
  local server
  if ! server="$(mongo_ready "$MONGODB_URI" "$WAIT_SECONDS" "$(cat "$RUN/ferretdb.pid")")"; then
    kill "$(cat "$RUN/ferretdb.pid")" 2>/dev/null || true
    rm -f "$RUN/ferretdb.pid"
    tail -n 20 "$LOGS/ferretdb.log" >&2 || true
    die "FerretDB did not answer on 127.0.0.1:$MONGO_PORT within ${WAIT_SECONDS}s (log: $LOGS/ferretdb.log)"
  fi
  say "mongo: started $server on PostgreSQL (pid $(cat "$RUN/ferretdb.pid")) on 127.0.0.1:$MONGO_PORT"
}

start_mongod() {
  mkdir -p "$CACHE/mongod"
  ( detached mongod --bind_ip 127.0.0.1 --port "$MONGO_PORT" --dbpath "$CACHE/mongod" --fork \
    --logpath "$LOGS/mongod.log" --logappend --pidfilepath "$RUN/mongod.pid" ) </dev/null >&2 \
    || die "mongod failed to start (log: $LOGS/mongod.log)"
  local server
  server="$(mongo_ready "$MONGODB_URI" "$WAIT_SECONDS")" \
    || die "mongod did not answer on 127.0.0.1:$MONGO_PORT within ${WAIT_SECONDS}s (log: $LOGS/mongod.log)"
  say "mongo: started mongod $server (pid $(our_pid mongod mongod || echo '?')) on 127.0.0.1:$MONGO_PORT, data in $CACHE/mongod"
}

ensure_mongo() {
  if [[ -n "${MONGODB_URI:-}" ]]; then
    rm -f "$RUN/mongo.url"
    say "mongo: using the MONGODB_URI you set"
    return
  fi
  # No database name: the app and the tests choose their own.
  MONGODB_URI="mongodb://127.0.0.1:$MONGO_PORT/"
  local pid server who="not started by this script"
  if port_open "$MONGO_PORT"; then
    server="$(mongo_ready "$MONGODB_URI" 10)" \
      || die "port $MONGO_PORT answers but not as a MongoDB server; set SERVICES_MONGO_PORT to a free port or MONGODB_URI"
    if pid="$(our_pid ferretdb ferretdb)" || pid="$(our_pid mongod mongod)"; then who="pid $pid"; fi
    say "mongo: reused $server ($who) on 127.0.0.1:$MONGO_PORT"
    if pid="$(our_pid ferretdb handler=sqlite)"; then
      say "mongo: WARNING this FerretDB (pid $pid) still runs on SQLite, the former default: 'bash scripts/services.sh down' then 'up' moves to PostgreSQL (SQLite data in $CACHE/ferretdb is not migrated)"
    fi
  elif command -v mongod >/dev/null; then
    start_mongod
  else
    start_ferretdb
  fi
  echo "$MONGODB_URI" >"$RUN/mongo.url"  # marks "provisioned by services.sh" for the tests
}

# --- commands ------------------------------------------------------------------------------

ensure_gitignore() { # everything under .cache/ is machine-local
  local file="$ROOT/.gitignore" line
  [[ -f "$file" && -s "$file" && -n "$(tail -c1 "$file")" ]] && echo >>"$file"
  for line in node_modules/ .cache/ dist/ .env coverage/; do
    grep -qxF -- "$line" "$file" 2>/dev/null || echo "$line" >>"$file"
  done
}

cmd_up() {
  mkdir -p "$RUN" "$LOGS"
  ensure_gitignore
  # One `up` at a time (tests and `npm start` may race); a first FerretDB build is slow.
  exec 9>"$RUN/services.lock"
  flock -w 900 9 || die "another 'services.sh up' holds $RUN/services.lock"
  preflight
  ensure_redis
  ensure_mongo
  printf 'MONGODB_URI=%s\nREDIS_URL=%s\n' "$MONGODB_URI" "$REDIS_URL" >"$ENV_FILE.tmp"
  mv -f "$ENV_FILE.tmp" "$ENV_FILE"
  say "wrote $ENV_FILE"
}

stop_pid() { # NAME PATTERN [SIGNAL]
  local pid
  if ! pid="$(our_pid "$1" "$2")"; then
    rm -f "$RUN/$1.pid"
    return 1
  fi
  kill -"${3:-TERM}" "$pid" 2>/dev/null || true
  wait_for 15 eval "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null || true
  rm -f "$RUN/$1.pid"
  say "$1: stopped (pid $pid)"
}

cmd_down() {
  local stopped=0
  if stop_pid redis redis-server; then stopped=1; fi
  if stop_pid ferretdb ferretdb; then stopped=1; fi  # before its PostgreSQL
  if stop_pid postgres postgres INT; then stopped=1; fi  # SIGINT: fast shutdown
  if stop_pid mongod mongod; then stopped=1; fi
  rm -f "$RUN/redis.url" "$RUN/mongo.url" "$ENV_FILE"
  (( stopped )) || say "nothing started by this script was running"
  port_open "$REDIS_PORT" && say "redis: something still answers on port $REDIS_PORT (not ours; left alone)"
  port_open "$MONGO_PORT" && say "mongo: something still answers on port $MONGO_PORT (not ours; left alone)"
  return 0
}

cmd_status() {
  local pid server
  if pid="$(our_pid redis redis-server)"; then
    echo "redis: redis-server pid $pid on 127.0.0.1:$REDIS_PORT (started by this script)"
  elif command -v redis-cli >/dev/null && redis_ping; then
    echo "redis: a Redis answers on 127.0.0.1:$REDIS_PORT (not started by this script)"
  else
    echo "redis: not running on 127.0.0.1:$REDIS_PORT"
  fi
  if port_open "$MONGO_PORT"; then
    server="$(mongo_ready "mongodb://127.0.0.1:$MONGO_PORT/" 5 2>/dev/null || echo "unresponsive server")"
    if pid="$(our_pid ferretdb ferretdb)" || pid="$(our_pid mongod mongod)"; then
      echo "mongo: $server pid $pid on 127.0.0.1:$MONGO_PORT (started by this script)"
    else
      echo "mongo: $server on 127.0.0.1:$MONGO_PORT (not started by this script)"
    fi
  else
    echo "mongo: not running on 127.0.0.1:$MONGO_PORT"
  fi
  if pid="$(our_pid postgres postgres)"; then
    echo "postgres: PostgreSQL pid $pid on 127.0.0.1:$PG_PORT (started by this script, data in $PG/data)"
  fi
  if [[ -f "$ENV_FILE" ]]; then
    echo "$ENV_FILE:"
    sed -e 's/^/  /' -e 's#//[^/@]*@#//***@#' "$ENV_FILE"  # hide credentials of a user-set URI
  else
    echo "$ENV_FILE: absent (run: bash scripts/services.sh up)"
  fi
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: bash scripts/services.sh up|down|status" >&2; exit 2 ;;
esac
