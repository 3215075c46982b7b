# shellcheck shell=bash disable=SC2034 # the paths set here are used by the other parts of scripts/infra.sh
# scripts/infra.sh: the data folder (data, logs and pid files of every server). Sourced.

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
