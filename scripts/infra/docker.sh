# shellcheck shell=bash
# scripts/infra.sh: the three servers as docker compose containers (docker-compose.yml), where
# a Docker engine answers. The probes are those of postgres.sh, redis.sh and mongodb.sh. Sourced.

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

docker_wait_healthy() { # SERVICE
  local svc=$1 deadline=$((SECONDS + WAIT_TIMEOUT)) h
  begin "waiting for $svc (docker) to be healthy"
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
    for svc in "${todo[@]}"; do docker_wait_healthy "$svc"; done
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
  begin "docker compose stop ${svcs[*]}"
  "${COMPOSE[@]}" stop "${svcs[@]}" >>"$LOG_DIR/docker-compose.log" 2>&1 </dev/null ||
    die "docker compose stop failed" "$LOG_DIR/docker-compose.log"
  end ok
  rm -f "$DOCKER_MARKER"
}
