#!/usr/bin/env bash
# scripts/infra.sh up|down|status — the three database servers of the shop microservices.
#
#   PostgreSQL  127.0.0.1:5432   user postgres / password "password",
#                                databases product_service, order_service (init-databases.sql)
#                                and ferretdb (FerretDB's backend)
#   Redis       127.0.0.1:6379
#   MongoDB     127.0.0.1:27017  (wire protocol: mongod if installed, else FerretDB 1.24
#                                embedded in infra/ferretdb, on the same PostgreSQL)
#
# Where a Docker engine answers (`docker info`), `up` runs `docker compose up -d mongodb
# postgres redis` instead. Elsewhere it starts local servers from the machine's packages
# (installing redis-server with apt-get when missing and running as root).
#
#   up      start what is not running yet and wait until every server really answers;
#           servers already answering on those ports (started by someone else) are used
#           as they are and reported as "not ours". Safe to run twice or concurrently.
#   down    stop only what this script started, in reverse order.
#   status  report each server; exit 0 only when all three answer.
#
# Environment:
#   SHOP_DATA_DIR     data, logs and pid files     (default: <repo>/.data; falls back to
#                     /var/tmp/shop-microservices-<hash> when the postgres OS user cannot
#                     use it, e.g. a clone under a 0700 home folder)
#   SHOP_CACHE_DIR    built FerretDB binary, lock  (default: ~/.cache/shop-microservices)
#   SHOP_INFRA_MODE   auto (default) | local | docker
#   SHOP_INFRA_TIMEOUT seconds to wait for each server (default 90)
set -Eeuo pipefail

# ---------------------------------------------------------------- settings
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
HOST=127.0.0.1
PG_PORT=5432
REDIS_PORT=6379
MONGO_PORT=27017
PG_USER=postgres
PG_PASSWORD=password
PG_MAX_CONNECTIONS=300
FERRETDB_DB=ferretdb
TIMEOUT=${SHOP_INFRA_TIMEOUT:-90}
MODE=${SHOP_INFRA_MODE:-auto}
CACHE_DIR=${SHOP_CACHE_DIR:-${HOME:-/root}/.cache/shop-microservices}
FERRET_SRC="$REPO_ROOT/infra/ferretdb"
COMPOSE_FILE="$REPO_ROOT/docker-compose.yml"
COMPOSE_SERVICES=(mongodb postgres redis)

export PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=3
IS_ROOT=0
if [[ $(id -u) -eq 0 ]]; then IS_ROOT=1; fi

# The daemons started below inherit this shell's open files. Close everything but
# stdin/stdout/stderr now, so that no server keeps a caller's pipe (CI waits on those).
for _fd in "/proc/$$/fd"/*; do
  _fd=${_fd##*/}
  if [[ $_fd =~ ^[0-9]+$ ]] && ((_fd > 2 && _fd != 255)); then eval "exec $_fd>&-" 2>/dev/null || true; fi
done
unset _fd

# ---------------------------------------------------------------- output helpers
say() { printf 'infra: %s\n' "$*"; }
# begin "starting X ..." / end "ok": one progress line per step
begin() { printf 'infra: %s ...' "$*"; STEP_START=$SECONDS; DOTS=0; }
dot() { printf '.'; DOTS=$((DOTS + 1)); }
end() { printf '  %s (%ss)\n' "${1:-ok}" "$((SECONDS - STEP_START))"; STEP_START=; }
# die MESSAGE [LOGFILE...]: fail with the tail of the relevant logs
die() {
  local msg=$1; shift
  [[ ${STEP_START:-} ]] && printf '  FAILED\n' >&2
  printf 'infra: ERROR: %s\n' "$msg" >&2
  local f
  for f in "$@"; do
    if [[ -s $f ]]; then
      printf 'infra: ---- last lines of %s ----\n' "$f" >&2
      tail -n 40 "$f" >&2 || true
      printf 'infra: ---- end of %s ----\n' "$f" >&2
    fi
  done
  exit 1
}
trap 'rc=$?; printf "\ninfra: ERROR: unexpected failure (exit %s) at line %s: %s\n" "$rc" "$LINENO" "$BASH_COMMAND" >&2; exit $rc' ERR

# ---------------------------------------------------------------- small utilities
hash_of() { cat "$@" | sha256sum | cut -c1-12; } # contents only, not paths
str_hash() { printf '%s' "$1" | sha256sum | cut -c1-12; }

tcp_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }
who_listens() { # PORT -> "pid 123 (prog)" when ss can tell
  local line
  line=$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(([^)]*))' | head -n1 || true)
  echo "${line:-a process ss cannot name}"
}

# pid_alive PIDFILE PATTERN: the pid in PIDFILE is alive and its command line matches PATTERN
pid_alive() {
  local pid
  [[ -s $1 ]] || return 1
  pid=$(head -n1 "$1" 2>/dev/null | tr -dc 0-9)
  [[ $pid ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2"
}
pid_of() { head -n1 "$1" 2>/dev/null | tr -dc 0-9; }

# stop_pid PIDFILE PATTERN NAME SECONDS: SIGTERM, wait, then SIGKILL
stop_pid() {
  local pidfile=$1 pattern=$2 name=$3 wait=${4:-20} pid i
  if ! pid_alive "$pidfile" "$pattern"; then
    rm -f "$pidfile"
    return 1
  fi
  pid=$(pid_of "$pidfile")
  begin "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
    ((i % 5 == 4)) && dot
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    end "killed (did not stop within ${wait}s)"
  else
    end ok
  fi
  rm -f "$pidfile"
}

# as_pg CMD...: run a PostgreSQL server program as the postgres OS user (it refuses root)
as_pg() {
  if ((IS_ROOT)); then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

APT_UPDATED=0
apt_install() {
  local log="$LOG_DIR/apt.log" made_policy=0
  mkdir -p "$LOG_DIR"
  if ((!APT_UPDATED)); then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$log" 2>&1 </dev/null ||
      die "apt-get update failed" "$log"
    APT_UPDATED=1
  fi
  # Keep the package's own init script from starting a system-wide server on our port.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made_policy=1
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$log" 2>&1 </dev/null || rc=$?
  ((made_policy)) && rm -f /usr/sbin/policy-rc.d
  ((rc == 0)) || die "apt-get install $* failed" "$log"
}

# ---------------------------------------------------------------- data folder
# The postgres OS user must be able to reach and write its data folder. A fresh clone
# under a 0700 folder (e.g. /root/...) does not allow that: fall back to /var/tmp.
FALLBACK_DATA_DIR="/var/tmp/shop-microservices-$(str_hash "$REPO_ROOT")"

pg_can_use() { # DIR: can the postgres user traverse to DIR (and write DIR/postgres if it exists)?
  local dir=$1
  ((IS_ROOT)) || return 0
  if [[ -d $dir/postgres ]]; then
    runuser -u postgres -- test -x "$dir/postgres" -a -w "$dir/postgres" 2>/dev/null
  else
    while [[ ! -d $dir ]]; do dir=$(dirname "$dir"); done
    runuser -u postgres -- test -x "$dir" 2>/dev/null
  fi
}

resolve_data_dir() { # create: 1 on `up`
  local create=${1:-0} primary=${SHOP_DATA_DIR:-$REPO_ROOT/.data}
  [[ $primary == /* ]] || primary="$PWD/$primary"
  DATA_DIR=$primary
  DATA_NOTE=
  if ((create)); then
    mkdir -p "$primary" 2>/dev/null || true
    if ((IS_ROOT)) && [[ -d $primary ]]; then
      mkdir -p "$primary/postgres"
      chown postgres:postgres "$primary/postgres"
      chmod 700 "$primary/postgres"
    fi
  fi
  if [[ ! -d $primary && $create == 1 ]] || ! pg_can_use "$primary" || { [[ -d $primary ]] && [[ ! -w $primary ]]; }; then
    if [[ -d $FALLBACK_DATA_DIR || $create == 1 ]]; then
      DATA_DIR=$FALLBACK_DATA_DIR
      DATA_NOTE="the postgres user cannot use $primary (a parent folder is not traversable or it is not writable); using $FALLBACK_DATA_DIR instead"
      # an empty postgres/ left by the failed check is harmless; remove it if empty
      if ((create)); then rmdir "$primary/postgres" 2>/dev/null || true; fi
    fi
  fi
  PG_DIR="$DATA_DIR/postgres"
  PGDATA_DIR="$PG_DIR/data"
  PG_LOG="$PG_DIR/postgresql.log"
  REDIS_DIR="$DATA_DIR/redis"
  REDIS_PID="$REDIS_DIR/redis.pid"
  REDIS_LOG="$REDIS_DIR/redis.log"
  MONGO_DIR="$DATA_DIR/mongo"
  MONGO_PID="$MONGO_DIR/server.pid"
  MONGO_IMPL_FILE="$MONGO_DIR/impl"
  MONGO_LOG="$MONGO_DIR/server.log"
  LOG_DIR="$DATA_DIR/logs"
  DOCKER_MARKER="$DATA_DIR/docker-services"
  if ((create)); then
    mkdir -p "$DATA_DIR" "$PG_DIR" "$REDIS_DIR" "$MONGO_DIR" "$LOG_DIR" ||
      die "cannot create data folder $DATA_DIR"
    if ((IS_ROOT)); then
      chown postgres:postgres "$PG_DIR"
      chmod 700 "$PG_DIR"
      pg_can_use "$DATA_DIR" || die "the postgres user cannot use $PG_DIR either; set SHOP_DATA_DIR to a folder it can reach"
    fi
  fi
}

# ---------------------------------------------------------------- probes
find_pg_bindir() {
  local d
  if [[ ${SHOP_PG_BINDIR:-} ]]; then PGBIN=$SHOP_PG_BINDIR; return 0; fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5nr); do
    [[ -x $d/initdb && -x $d/pg_ctl ]] && { PGBIN=$d; return 0; }
  done
  d=$(pg_config --bindir 2>/dev/null || true)
  [[ $d && -x $d/initdb ]] && { PGBIN=$d; return 0; }
  d=$(command -v initdb 2>/dev/null || true)
  [[ $d ]] && { PGBIN=$(dirname "$(readlink -f "$d")"); return 0; }
  PGBIN=
  return 1
}
pg_tool() { # client programs: from PGBIN when there, else PATH
  local t=$1; shift
  if [[ ${PGBIN:-} && -x $PGBIN/$t ]]; then "$PGBIN/$t" "$@"; else "$t" "$@"; fi
}
have_pg_client() { [[ ${PGBIN:-} && -x $PGBIN/psql ]] || command -v psql >/dev/null 2>&1; }

pg_isready_ok() {
  if have_pg_client; then
    pg_tool pg_isready -h "$HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -t 2 -q 2>/dev/null
  else
    tcp_open "$HOST" "$PG_PORT"
  fi
}
pg_psql() { pg_tool psql -X -h "$HOST" -p "$PG_PORT" -U "$PG_USER" -v ON_ERROR_STOP=1 "$@"; }
pg_select1() { [[ $(pg_psql -d postgres -Atqc 'select 1' 2>/dev/null) == 1 ]]; }
pg_answers() { pg_isready_ok && { ! have_pg_client || pg_select1; }; }
pg_ours() { [[ -f $PGDATA_DIR/PG_VERSION ]] && [[ ${PGBIN:-} ]] && as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; }

redis_ping() {
  if command -v redis-cli >/dev/null 2>&1; then
    [[ $(timeout 3 redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
  else
    timeout 3 bash -c "exec 3<>/dev/tcp/$HOST/$REDIS_PORT && printf 'PING\r\n' >&3 && IFS= read -r l <&3 && [[ \$l == +PONG* ]]" 2>/dev/null
  fi
}
redis_ours() { pid_alive "$REDIS_PID" redis-server; }

MONGO_PING_HOW=tcp
mongo_ping() {
  local uri="mongodb://$HOST:$MONGO_PORT/"
  if command -v node >/dev/null 2>&1 && [[ -f $REPO_ROOT/node_modules/mongodb/package.json ]]; then
    MONGO_PING_HOW="ping via the mongodb driver"
    timeout 10 node -e '
      const { MongoClient } = require(process.argv[1]);
      const c = new MongoClient(process.argv[2], { serverSelectionTimeoutMS: 3000, connectTimeoutMS: 3000 });
      c.connect().then(() => c.db("admin").command({ ping: 1 }))
        .then((r) => c.close().then(() => process.exit(r.ok === 1 ? 0 : 1)))
        .catch(() => process.exit(1));' "$REPO_ROOT/node_modules/mongodb" "$uri" >/dev/null 2>&1
  elif [[ ${FERRET_BIN:-} && -x $FERRET_BIN ]]; then
    MONGO_PING_HOW="wire ping"
    "$FERRET_BIN" -ping "$uri" -timeout 3s >/dev/null 2>&1
  elif command -v mongosh >/dev/null 2>&1; then
    MONGO_PING_HOW="mongosh ping"
    timeout 10 mongosh --quiet "$uri" --eval 'db.adminCommand({ping:1}).ok' >/dev/null 2>&1
  else
    MONGO_PING_HOW="TCP check only"
    tcp_open "$HOST" "$MONGO_PORT"
  fi
}
mongo_ours() {
  local impl
  impl=$(cat "$MONGO_IMPL_FILE" 2>/dev/null || true)
  case $impl in
    ferretdb) pid_alive "$MONGO_PID" ferretdb- ;;
    mongod) pid_alive "$MONGO_PID" mongod ;;
    *) return 1 ;;
  esac
}

# wait_until NAME PROBE ALIVE_CHECK LOG...: poll PROBE until it succeeds, printing progress dots;
# fail early when ALIVE_CHECK says the process died
wait_until() {
  local name=$1 probe=$2 alive=$3; shift 3
  local deadline=$((SECONDS + TIMEOUT)) n=0
  until $probe; do
    if [[ $alive != - ]] && ! $alive; then
      die "$name exited during startup" "$@"
    fi
    ((SECONDS >= deadline)) && die "$name did not answer within ${TIMEOUT}s" "$@"
    sleep 0.5
    n=$((n + 1))
    if ((n % 2 == 0)); then dot; fi
  done
  return 0
}

# ---------------------------------------------------------------- docker mode
COMPOSE=()
docker_usable() {
  command -v docker >/dev/null 2>&1 || return 1
  timeout 10 docker info >/dev/null 2>&1 || return 1
  if docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose -f "$COMPOSE_FILE")
  elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE=(docker-compose -f "$COMPOSE_FILE")
  else
    say "a Docker engine answers but neither 'docker compose' nor 'docker-compose' is installed: using local servers"
    return 1
  fi
}
use_docker() {
  case $MODE in
    local) return 1 ;;
    docker) docker_usable || die "SHOP_INFRA_MODE=docker but no Docker engine with compose answers" ;;
    auto) docker_usable ;;
    *) die "SHOP_INFRA_MODE must be auto, local or docker (got '$MODE')" ;;
  esac
}
container_health() { # SERVICE -> healthy|starting|unhealthy|running|exited|none
  local id
  id=$("${COMPOSE[@]}" ps -q "$1" 2>/dev/null | head -n1)
  [[ $id ]] || { echo none; return 0; }
  docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id" 2>/dev/null || echo none
}

docker_up() {
  local svc probe todo=() log="$LOG_DIR/docker-compose.log"
  for svc in "${COMPOSE_SERVICES[@]}"; do
    case $svc in
      postgres) probe=pg_answers ;;
      redis) probe=redis_ping ;;
      mongodb) probe=mongo_ping ;;
    esac
    if [[ $(container_health "$svc") == healthy ]]; then
      say "$svc (docker) already running"
    elif $probe; then
      say "$svc: a server already answers on its port: already running, not ours"
    else
      todo+=("$svc")
    fi
  done
  if ((${#todo[@]})); then
    begin "docker compose up -d ${todo[*]}"
    "${COMPOSE[@]}" up -d "${todo[@]}" >>"$log" 2>&1 </dev/null || die "docker compose up failed" "$log"
    end ok
    # remember what we started, for `down`
    { cat "$DOCKER_MARKER" 2>/dev/null || true; printf '%s\n' "${todo[@]}"; } | sort -u >"$DOCKER_MARKER.tmp"
    mv "$DOCKER_MARKER.tmp" "$DOCKER_MARKER"
    for svc in "${todo[@]}"; do
      begin "waiting for $svc (docker) to be healthy"
      local deadline=$((SECONDS + TIMEOUT)) h
      while :; do
        h=$(container_health "$svc")
        [[ $h == healthy ]] && break
        if [[ $h == unhealthy || $h == exited || $h == dead ]] || ((SECONDS >= deadline)); then
          "${COMPOSE[@]}" logs --tail 40 "$svc" >"$LOG_DIR/$svc.container.log" 2>&1 || true
          die "$svc container is $h" "$LOG_DIR/$svc.container.log"
        fi
        sleep 1
        dot
      done
      end ok
    done
  fi
  # host-side checks: the ports really answer from here
  begin "checking PostgreSQL on :$PG_PORT"; wait_until PostgreSQL pg_answers -; end ok
  begin "checking Redis on :$REDIS_PORT"; wait_until Redis redis_ping -; end ok
  begin "checking MongoDB on :$MONGO_PORT"; wait_until MongoDB mongo_ping -; end "ok ($MONGO_PING_HOW)"
  pg_init_databases
}

docker_down() {
  local svcs=()
  [[ -s $DOCKER_MARKER ]] || return 1
  mapfile -t svcs <"$DOCKER_MARKER"
  if ! docker_usable; then
    say "containers ${svcs[*]} were started with docker compose, but no Docker engine answers now"
    return 0
  fi
  # reverse order: mongodb (FerretDB's place) first, then redis, then postgres
  begin "docker compose stop ${svcs[*]}"
  "${COMPOSE[@]}" stop "${svcs[@]}" >>"$LOG_DIR/docker-compose.log" 2>&1 </dev/null ||
    die "docker compose stop failed" "$LOG_DIR/docker-compose.log"
  end ok
  rm -f "$DOCKER_MARKER"
}

# ---------------------------------------------------------------- PostgreSQL (local)
pg_init_databases() {
  local out="$LOG_DIR/init-databases.log"
  begin "applying init-databases.sql (product_service, order_service)"
  pg_psql -d postgres -q -f "$REPO_ROOT/init-databases.sql" >"$out" 2>&1 </dev/null ||
    die "init-databases.sql failed" "$out"
  end ok
}

pg_ensure_ferretdb_db() {
  local out="$LOG_DIR/createdb-ferretdb.log" exists
  exists=$(pg_psql -d postgres -Atqc "select 1 from pg_database where datname = '$FERRETDB_DB'" 2>"$out") ||
    die "cannot query PostgreSQL for the $FERRETDB_DB database" "$out"
  [[ $exists == 1 ]] && return 0
  begin "creating database $FERRETDB_DB (UTF8, C.UTF-8) for FerretDB"
  pg_tool createdb -h "$HOST" -p "$PG_PORT" -U "$PG_USER" -E UTF8 --locale=C.UTF-8 -T template0 "$FERRETDB_DB" >"$out" 2>&1 </dev/null ||
    die "createdb $FERRETDB_DB failed" "$out"
  end ok
}

pg_write_conf() {
  # Our settings live in their own file, rewritten on every start and included from
  # postgresql.conf, so that changes to this script reach existing clusters too.
  local conf="$PGDATA_DIR/shop-infra.conf"
  as_pg tee "$conf" >/dev/null <<EOF
# Written by scripts/infra.sh on every start; edits here are overwritten.
listen_addresses = '$HOST'
port = $PG_PORT
max_connections = $PG_MAX_CONNECTIONS
unix_socket_directories = ''   # TCP only (no socket path length or permission trouble)
password_encryption = 'scram-sha-256'
# A development and test cluster: its data is disposable, speed matters more.
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF
  if ! grep -q "^include_if_exists = 'shop-infra.conf'" "$PGDATA_DIR/postgresql.conf"; then
    printf "\n# scripts/infra.sh\ninclude_if_exists = 'shop-infra.conf'\n" | as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
  fi
}

pg_initdb() {
  local pwfile="$PG_DIR/.pwfile" out="$PG_DIR/initdb.log"
  begin "initdb PostgreSQL $PG_VERSION cluster in $PGDATA_DIR"
  rm -rf "$PGDATA_DIR"
  (umask 077 && printf '%s\n' "$PG_PASSWORD" >"$pwfile")
  ((IS_ROOT)) && chown postgres:postgres "$pwfile"
  if ! as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U "$PG_USER" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 >"$out" 2>&1 </dev/null; then
    rm -f "$pwfile"
    die "initdb failed" "$out"
  fi
  rm -f "$pwfile"
  end ok
}

pg_up() {
  if pg_ours; then
    begin "PostgreSQL (local) on :$PG_PORT already running"
    wait_until PostgreSQL pg_answers pg_ours "$PG_LOG"
    end "ok, ours"
  elif pg_isready_ok; then
    begin "PostgreSQL on :$PG_PORT already running, not ours; checking it"
    have_pg_client && { pg_select1 || die "a server answers on :$PG_PORT but 'select 1' as $PG_USER/$PG_PASSWORD fails (another PostgreSQL with other credentials?); stop it or fix its credentials"; }
    end ok
  else
    find_pg_bindir || {
      if ((IS_ROOT)); then
        begin "installing PostgreSQL (apt-get install postgresql)"
        apt_install postgresql
        end ok
        find_pg_bindir || die "PostgreSQL server programs not found after installing"
      else
        die "PostgreSQL server programs (initdb, pg_ctl) not found; run: sudo apt-get update && sudo apt-get install -y postgresql"
      fi
    }
    if ((IS_ROOT)) && ! id postgres >/dev/null 2>&1; then
      die "the postgres OS user does not exist (PostgreSQL refuses to run as root); create it: useradd --system --home-dir /var/lib/postgresql postgres"
    fi
    PG_VERSION=$("$PGBIN/postgres" --version | awk '{print $NF}' | cut -d. -f1)
    if [[ ! -f $PGDATA_DIR/PG_VERSION ]]; then
      pg_initdb
    elif [[ $(cat "$PGDATA_DIR/PG_VERSION") != "$PG_VERSION" ]]; then
      die "$PGDATA_DIR holds a PostgreSQL $(cat "$PGDATA_DIR/PG_VERSION") cluster but the server programs in $PGBIN are version $PG_VERSION; remove that folder to start afresh"
    fi
    ((IS_ROOT)) && chown postgres:postgres "$PGDATA_DIR" && chmod 700 "$PGDATA_DIR"
    pg_write_conf
    begin "starting PostgreSQL $PG_VERSION (local) on :$PG_PORT"
    # -W: do not let pg_ctl wait; we poll ourselves. setsid + redirections: the server
    # survives this script and holds none of its pipes (nor the lock on fd 9).
    as_pg setsid "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PG_LOG" -W start </dev/null >>"$LOG_DIR/pg_ctl.log" 2>&1 9>&- ||
      die "pg_ctl start failed" "$LOG_DIR/pg_ctl.log" "$PG_LOG"
    wait_until PostgreSQL pg_isready_ok pg_ctl_alive "$PG_LOG"
    wait_until PostgreSQL pg_select1 pg_ctl_alive "$PG_LOG"
    end ok
  fi
  have_pg_client || die "psql is not installed; run: apt-get install -y postgresql-client"
  pg_init_databases
}
pg_ctl_alive() {
  # during startup the pid file may not be there for a moment: give it a grace period
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1 || ((SECONDS - STEP_START < 5))
}

pg_down() {
  if find_pg_bindir && pg_ours; then
    begin "stopping PostgreSQL (local)"
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 60 stop </dev/null >>"$LOG_DIR/pg_ctl.log" 2>&1 9>&- ||
      die "pg_ctl stop failed" "$LOG_DIR/pg_ctl.log" "$PG_LOG"
    end ok
  else
    return 1
  fi
}

# ---------------------------------------------------------------- Redis (local)
redis_up() {
  if redis_ours; then
    begin "Redis (local) on :$REDIS_PORT already running"
    wait_until Redis redis_ping redis_ours "$REDIS_LOG"
    end "ok, ours"
    return 0
  fi
  if redis_ping; then
    say "Redis on :$REDIS_PORT already running, not ours"
    return 0
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    if ((IS_ROOT)); then
      begin "installing redis-server (apt-get)"
      apt_install redis-server
      end ok
      command -v redis-server >/dev/null 2>&1 || die "redis-server still not found after apt-get install"
    else
      die "redis-server is not installed. Run:  sudo apt-get update && sudo apt-get install -y redis-server"
    fi
  fi
  cat >"$REDIS_DIR/redis.conf" <<EOF
# Written by scripts/infra.sh on every start; edits here are overwritten.
bind $HOST
port $REDIS_PORT
protected-mode yes
daemonize yes
pidfile $REDIS_PID
logfile $REDIS_LOG
dir $REDIS_DIR
dbfilename dump.rdb
save 300 10
appendonly no
EOF
  begin "starting Redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-) (local) on :$REDIS_PORT"
  rm -f "$REDIS_PID"
  (cd "$REDIS_DIR" && setsid redis-server "$REDIS_DIR/redis.conf" </dev/null >>"$REDIS_LOG" 2>&1 9>&-) ||
    die "redis-server failed to start" "$REDIS_LOG"
  # daemonized: wait for its pid file, then for PONG
  local deadline=$((SECONDS + 10))
  until [[ -s $REDIS_PID ]]; do
    ((SECONDS >= deadline)) && die "redis-server wrote no pid file" "$REDIS_LOG"
    sleep 0.2
  done
  wait_until Redis redis_ping redis_ours "$REDIS_LOG"
  end ok
}

redis_down() {
  stop_pid "$REDIS_PID" redis-server "Redis (local)" 30
}

# ---------------------------------------------------------------- MongoDB wire (local)
ferret_version() { awk '$1 == "github.com/FerretDB/FerretDB" {print $2; exit}' "$FERRET_SRC/go.mod" | sed 's/^v//'; }
ferret_bin_path() {
  FERRET_VERSION=$(ferret_version)
  [[ $FERRET_VERSION ]] || die "cannot read the FerretDB version from $FERRET_SRC/go.mod"
  FERRET_BIN="$CACHE_DIR/bin/ferretdb-$FERRET_VERSION-$(hash_of "$FERRET_SRC/go.mod" "$FERRET_SRC/go.sum" "$FERRET_SRC/main.go")"
}

ferret_build() {
  ferret_bin_path
  [[ -x $FERRET_BIN ]] && return 0
  command -v go >/dev/null 2>&1 || die "no mongod and no Go toolchain: install Go 1.24+ (to build FerretDB) or MongoDB"
  local log="$LOG_DIR/ferretdb-build.log" tmp
  mkdir -p "$CACHE_DIR/bin"
  tmp="$FERRET_BIN.tmp.$$"
  begin "building FerretDB $FERRET_VERSION (once; about a minute) into $FERRET_BIN"
  # CGO off: the postgresql handler is pure Go and the SQLite backend is left out.
  if ! (cd "$FERRET_SRC" && CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" go build -tags ferretdb_no_sqlite -trimpath -o "$tmp" . ) \
    >"$log" 2>&1 </dev/null; then
    rm -f "$tmp"
    die "go build of infra/ferretdb failed" "$log"
  fi
  mv -f "$tmp" "$FERRET_BIN"
  end ok
  # drop binaries of older sources
  find "$CACHE_DIR/bin" -maxdepth 1 -name 'ferretdb-*' ! -name "$(basename "$FERRET_BIN")" ! -name '*.tmp.*' -delete 2>/dev/null || true
}

mongo_up() {
  if mongo_ours; then
    begin "MongoDB wire server ($(cat "$MONGO_IMPL_FILE"), local) on :$MONGO_PORT already running"
    local note="ok, ours"
    if [[ $(cat "$MONGO_IMPL_FILE") == ferretdb ]]; then
      ferret_bin_path
      if [[ $(readlink "/proc/$(pid_of "$MONGO_PID")/exe" 2>/dev/null) != "$FERRET_BIN" ]]; then
        note="ok, ours (an older build than infra/ferretdb: 'down' then 'up' to switch)"
      fi
    fi
    wait_until MongoDB mongo_ping mongo_ours "$MONGO_LOG"
    end "$note"
    return 0
  fi
  command -v mongod >/dev/null 2>&1 || ferret_bin_path
  if tcp_open "$HOST" "$MONGO_PORT"; then
    begin "MongoDB on :$MONGO_PORT already running, not ours; checking it"
    local deadline=$((SECONDS + TIMEOUT))
    until mongo_ping; do
      ((SECONDS >= deadline)) &&
        die "something listens on :$MONGO_PORT but does not answer a MongoDB ping within ${TIMEOUT}s: $(who_listens "$MONGO_PORT"); stop it and run 'up' again"
      sleep 1
      dot
    done
    end "ok ($MONGO_PING_HOW)"
    return 0
  fi
  rm -f "$MONGO_PID" "$MONGO_IMPL_FILE"
  local pid
  if command -v mongod >/dev/null 2>&1; then
    mkdir -p "$MONGO_DIR/db"
    begin "starting mongod (local) on :$MONGO_PORT"
    setsid mongod --dbpath "$MONGO_DIR/db" --bind_ip "$HOST" --port "$MONGO_PORT" \
      --logpath "$MONGO_LOG" --logappend </dev/null >>"$MONGO_DIR/mongod.stdout.log" 2>&1 9>&- &
    pid=$!
    echo mongod >"$MONGO_IMPL_FILE"
  else
    pg_ensure_ferretdb_db
    ferret_build
    begin "starting FerretDB $FERRET_VERSION (local, on PostgreSQL database $FERRETDB_DB) on :$MONGO_PORT"
    # FerretDB logs each failed query (e.g. every duplicate key) at error level: keep the log bounded
    if [[ -f $MONGO_LOG ]] && (($(stat -c %s "$MONGO_LOG") > 50 * 1024 * 1024)); then mv -f "$MONGO_LOG" "$MONGO_LOG.1"; fi
    printf '\n==== %s: starting %s\n' "$(date -Is)" "$FERRET_BIN" >>"$MONGO_LOG"
    FERRETDB_LOG_LEVEL=${FERRETDB_LOG_LEVEL:-error} setsid "$FERRET_BIN" \
      -listen-addr "$HOST:$MONGO_PORT" \
      -postgresql-url "postgres://$PG_USER:$PG_PASSWORD@$HOST:$PG_PORT/$FERRETDB_DB" \
      </dev/null >>"$MONGO_LOG" 2>&1 9>&- &
    pid=$!
    echo ferretdb >"$MONGO_IMPL_FILE"
  fi
  echo "$pid" >"$MONGO_PID"
  disown "$pid" 2>/dev/null || true
  wait_until MongoDB mongo_ping mongo_ours "$MONGO_LOG"
  end "ok ($MONGO_PING_HOW)"
}

mongo_down() {
  local impl
  impl=$(cat "$MONGO_IMPL_FILE" 2>/dev/null || true)
  case $impl in
    ferretdb) stop_pid "$MONGO_PID" ferretdb- "FerretDB (local)" 20 ;;
    mongod) stop_pid "$MONGO_PID" mongod "mongod (local)" 60 ;;
    *) return 1 ;;
  esac
  local rc=$?
  rm -f "$MONGO_IMPL_FILE"
  return $rc
}

# ---------------------------------------------------------------- commands
take_lock() {
  mkdir -p "$CACHE_DIR"
  LOCK_FILE="$CACHE_DIR/infra.lock"
  exec 9>>"$LOCK_FILE"
  if ! flock -n 9; then
    say "waiting for another scripts/infra.sh (lock $LOCK_FILE) ..."
    flock -w 900 9 || die "could not take $LOCK_FILE within 900s"
  fi
}

cmd_up() {
  local t0=$SECONDS
  take_lock
  resolve_data_dir 1
  [[ $DATA_NOTE ]] && say "note: $DATA_NOTE"
  say "data, logs and pid files in $DATA_DIR"
  if use_docker; then
    say "a Docker engine answers: using docker compose ($COMPOSE_FILE)"
    docker_up
  else
    find_pg_bindir || true
    pg_up
    redis_up
    mongo_up
  fi
  say "all up in $((SECONDS - t0))s: postgres://$PG_USER:$PG_PASSWORD@$HOST:$PG_PORT  redis://$HOST:$REDIS_PORT  mongodb://$HOST:$MONGO_PORT"
}

cmd_down() {
  take_lock
  resolve_data_dir 0
  local stopped=0
  if [[ -s $DOCKER_MARKER ]]; then
    docker_down && stopped=1
  fi
  # reverse order of `up`: the MongoDB wire server (FerretDB uses PostgreSQL) first
  mongo_down && stopped=1
  redis_down && stopped=1
  pg_down && stopped=1
  ((stopped)) || say "nothing of ours was running (data in $DATA_DIR)"
  return 0
}

cmd_status() {
  resolve_data_dir 0
  find_pg_bindir || true
  local failed=0 how docker_svcs=""
  [[ -s $DOCKER_MARKER ]] && docker_svcs=" $(tr '\n' ' ' <"$DOCKER_MARKER")"
  [[ $DATA_NOTE ]] && say "note: $DATA_NOTE"
  say "data folder: $DATA_DIR"

  if pg_ours; then how="local, ours (pid $(head -n1 "$PGDATA_DIR/postmaster.pid"), $PGDATA_DIR)"
  elif [[ $docker_svcs == *" postgres "* ]]; then how="docker, ours"
  else how="not ours"; fi
  if pg_answers; then say "PostgreSQL  :$PG_PORT  up    ($how)"; else say "PostgreSQL  :$PG_PORT  DOWN"; failed=1; fi

  if redis_ours; then how="local, ours (pid $(pid_of "$REDIS_PID"))"
  elif [[ $docker_svcs == *" redis "* ]]; then how="docker, ours"
  else how="not ours"; fi
  if redis_ping; then say "Redis       :$REDIS_PORT  up    ($how)"; else say "Redis       :$REDIS_PORT  DOWN"; failed=1; fi

  if mongo_ours; then
    how="$(cat "$MONGO_IMPL_FILE"), local, ours (pid $(pid_of "$MONGO_PID"))"
    [[ $(cat "$MONGO_IMPL_FILE") == ferretdb ]] && ferret_bin_path
  elif [[ $docker_svcs == *" mongodb "* ]]; then how="docker, ours"
  else
    how="not ours"
    command -v mongod >/dev/null 2>&1 || ferret_bin_path
  fi
  if mongo_ping; then say "MongoDB     :$MONGO_PORT up    ($how; $MONGO_PING_HOW)"; else say "MongoDB     :$MONGO_PORT DOWN"; failed=1; fi
  return $failed
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) if cmd_status; then exit 0; else exit 1; fi ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
