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
#   ferretdb-bin  build the embedded FerretDB when its binary is missing, print its path (for
#           test suites that run a private FerretDB of their own); progress goes to stderr.
#
# Environment:
#   SHOP_DATA_DIR     data, logs and pid files     (default: <repo>/.data; falls back to
#                     /var/tmp/shop-microservices-<hash> when the postgres OS user cannot
#                     use it, e.g. a clone under a 0700 home folder)
#   SHOP_CACHE_DIR    built FerretDB binary, lock  (default: ~/.cache/shop-microservices)
#   SHOP_INFRA_MODE   auto (default) | local | docker
#   SHOP_INFRA_TIMEOUT seconds to wait for each server (default 90)
#   SHOP_PG_PORT, SHOP_REDIS_PORT, SHOP_MONGO_PORT   the ports (defaults above), e.g. for a
#                     second set of servers beside the usual one
#
# One file per server in scripts/infra/ (postgres.sh, redis.sh, mongodb.sh, docker.sh, and
# data-dir.sh for the data folder); this file holds the settings and the three commands.
set -Eeuo pipefail
SCRIPT=infra
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# The daemons started below inherit this shell's open files: close them before anything else.
close_inherited_fds
trap 'rc=$?; printf "\ninfra: ERROR: unexpected failure (exit %s) at line %s of %s: %s\n" "$rc" "$LINENO" "${BASH_SOURCE[0]#"$REPO_ROOT"/}" "$BASH_COMMAND" >&2; exit $rc' ERR

# ---------------------------------------------------------------- settings
HOST=127.0.0.1
PG_PORT=${SHOP_PG_PORT:-5432}
REDIS_PORT=${SHOP_REDIS_PORT:-6379}
MONGO_PORT=${SHOP_MONGO_PORT:-27017}
PG_USER=postgres
PG_PASSWORD=password
PG_MAX_CONNECTIONS=300
FERRETDB_DB=ferretdb
WAIT_TIMEOUT=${SHOP_INFRA_TIMEOUT:-90}
MODE=${SHOP_INFRA_MODE:-auto}
CACHE_DIR=${SHOP_CACHE_DIR:-${HOME:-/root}/.cache/shop-microservices}
FERRET_SRC="$REPO_ROOT/infra/ferretdb"
COMPOSE_FILE="$REPO_ROOT/docker-compose.yml"
COMPOSE_SERVICES=(mongodb postgres redis)
export PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=3
# docker compose publishes the same ports (docker-compose.yml reads these)
export SHOP_PG_PORT=$PG_PORT SHOP_REDIS_PORT=$REDIS_PORT SHOP_MONGO_PORT=$MONGO_PORT
IS_ROOT=0
if [[ $(id -u) -eq 0 ]]; then IS_ROOT=1; fi

# shellcheck source=scripts/infra/data-dir.sh
source "$REPO_ROOT/scripts/infra/data-dir.sh"
# shellcheck source=scripts/infra/postgres.sh
source "$REPO_ROOT/scripts/infra/postgres.sh"
# shellcheck source=scripts/infra/redis.sh
source "$REPO_ROOT/scripts/infra/redis.sh"
# shellcheck source=scripts/infra/mongodb.sh
source "$REPO_ROOT/scripts/infra/mongodb.sh"
# shellcheck source=scripts/infra/docker.sh
source "$REPO_ROOT/scripts/infra/docker.sh"

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
  local failed=0
  DOCKER_SVCS=""
  [[ -s $DOCKER_MARKER ]] && DOCKER_SVCS=" $(tr '\n' ' ' <"$DOCKER_MARKER")"
  [[ $DATA_NOTE ]] && say "note: $DATA_NOTE"
  say "data folder: $DATA_DIR"
  pg_status || failed=1
  redis_status || failed=1
  mongo_status || failed=1
  return $failed
}

cmd_ferretdb_bin() {
  take_lock
  LOG_DIR=$CACHE_DIR/logs
  mkdir -p "$LOG_DIR"
  ferret_build >&2
  echo "$FERRET_BIN"
}

case ${1:-} in
  up) cmd_up ;;
  ferretdb-bin) cmd_ferretdb_bin ;;
  down) cmd_down ;;
  status) if cmd_status; then exit 0; else exit 1; fi ;;
  -h | --help) print_help "$0" ;;
  *)
    echo "usage: $0 up|down|status|ferretdb-bin" >&2
    exit 2
    ;;
esac
