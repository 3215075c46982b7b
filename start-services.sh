#!/usr/bin/env bash
# ./start-services.sh [--dev] [--traces]: the whole shop on this machine, ready to use.
#
#   0. a supported Node (>= 22): the machine's, else Node 24 fetched into a cache, for
#      everything below (scripts/lib/ensure-node.sh)
#   1. installs npm dependencies and builds when needed   (scripts/lib/ensure-deps.sh)
#   2. starts the databases                                (scripts/infra.sh up)
#   3. starts a development mail catcher on :1025 when nothing listens there
#   4. starts the four services from their build (services/<name>/dist/main.js), each
#      detached, logging to logs/<name>.log, its pid in .run/<name>.pid
#   5. waits for each /health, then each /health/ready, and prints every URL
#
#   --dev   watch mode: one `tsc -b -w` rebuilds on every change and each service runs
#           under `node --watch`, so it restarts on a new build
#   --traces  (or TRACING=1) OpenTelemetry traces into a local Zipkin (scripts/lib/ensure-zipkin.sh:
#           compose where a Docker engine answers, else its jar from Maven Central on Java 17),
#           UI on http://localhost:9411/zipkin/; services already running keep their setting
#
# Running it again is harmless: services of ours that already run are kept as they are.
# A port held by any other process is named (pid and command) and nothing is started.
# Environment:
#   ADMIN_EMAIL / ADMIN_PASSWORD   the admin the User service creates at start-up
#                                  (development default admin@shop.local / admin-dev-password-1)
#   START_TIMEOUT                  seconds to wait for each service (default 90)
#   SERVICE_NODE_ARGS              node options for the four services only (split at spaces), e.g.
#                                  "--cpu-prof --cpu-prof-dir=/tmp/prof" (not allowed in NODE_OPTIONS)
#   TRACING=1                      as --traces; OTEL_* variables set by the caller win
#   Any variable of a service's config (see README.md) is passed on, e.g. LOG_LEVEL=debug;
#   a services/<name>/.env file is read by that service too.
set -Eeuo pipefail
SCRIPT=start
ADMIN_GIVEN=${ADMIN_EMAIL:+1}${ADMIN_PASSWORD:+1} # before lib.sh fills in the development defaults
# shellcheck source=scripts/services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/services/lib.sh"
cd "$REPO_ROOT"

DEV=0
for arg in "$@"; do
  case $arg in
    --dev) DEV=1 ;;
    --traces) TRACING=1 ;;
    -h | --help) print_help "$0"; exit 0 ;;
    *) echo "usage: $0 [--dev] [--traces]" >&2; exit 2 ;;
  esac
done
START_TIMEOUT=${START_TIMEOUT:-90}
LOG_HEADER="==== start-services.sh"
[[ $START_TIMEOUT =~ ^[0-9]+$ ]] || die "START_TIMEOUT must be a number of seconds (got '$START_TIMEOUT')"

close_inherited_fds
require_curl
mkdir -p "$RUN_DIR" "$LOG_DIR"
T0=$SECONDS
ensure_node "$SCRIPT"

# ---------------------------------------------------------------- 1. dependencies, build, databases
bash scripts/lib/ensure-deps.sh start
say "starting the databases (scripts/infra.sh up) ..."
bash scripts/infra.sh up

# ---------------------------------------------------------------- helpers
# start_detached NAME LOG CWD CMD...: runs CMD in its own session (setsid: no terminal, its own
# process group, survives this script) with every stream redirected; records its pid.
start_detached() {
  local name=$1 log=$2 cwd=$3 pid
  shift 3
  # The header names the program, never the environment it gets (ADMIN_PASSWORD ...).
  printf '\n%s %s: starting %s\n' "$LOG_HEADER" "$(date -Is)" "$(printf '%s\n' "$@" | grep -v -e '=' -e '^env$' | tr '\n' ' ')" >>"$log"
  # This shell is no process group leader, so setsid execs in place: $! is the program's pid.
  (cd "$cwd" && exec setsid "$@" </dev/null >>"$log" 2>&1) &
  pid=$!
  disown "$pid" 2>/dev/null || true
  echo "$pid" >"$(pidfile_of "$name")"
}

# running_ours NAME: the process recorded for NAME is alive and still ours
running_ours() { is_ours "$(pid_in "$(pidfile_of "$1")")" "$(kind_of "$1")"; }

# check_port NAME PORT: 0 = free, 1 = held by our own process of that name (a previous start),
# 2 = held by something else (described in PORT_HOLDER)
check_port() {
  local name=$1 port=$2 lp
  PORT_HOLDER=
  if running_ours "$name" && { holds_port "$port" "$(pid_in "$(pidfile_of "$name")")" || ! port_busy "$port"; }; then
    return 1 # ours: listening, or still starting
  fi
  rm -f "$(pidfile_of "$name")" # stale (process gone or the pid reused by another program)
  port_busy "$port" || return 0
  lp=$(listener_pid "$port")
  PORT_HOLDER=$(describe_pid "$lp")
  return 2
}

# this_run_of LOG: a copy of the log from its last start header on (what this start wrote)
this_run_of() {
  local copy
  copy="$HTTP_TMP.$(basename "$1")" # removed on exit with the other temporary files
  awk -v h="$LOG_HEADER" 'index($0, h) == 1 { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$1" >"$copy" 2>/dev/null || cp "$1" "$copy"
  echo "$copy"
}
# others_note SERVICE: which other services of ours are still running after SERVICE failed
others_note() {
  local svc running=()
  for svc in "${SERVICES[@]}"; do
    [[ $svc != "$1" ]] && running_ours "$svc" && running+=("$svc")
  done
  ((${#running[@]})) && printf '; still running: %s (./stop-services.sh stops them)' "${running[*]}"
  return 0
}

last_body=
# wait_http SERVICE PATH: until GET PATH answers 200, or the service exits, or the time is up
wait_http() {
  local svc=$1 path=$2 url code pid deadline n=0 tmp
  url="http://127.0.0.1:${SERVICE_PORT[$svc]}$path"
  tmp="$RUN_DIR/.wait-$svc"
  pid=$(pid_in "$(pidfile_of "$svc")")
  begin "waiting for $svc $path"
  deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    code=$(curl -s -o "$tmp" -w '%{http_code}' --max-time 3 "$url" 2>/dev/null) || code=000
    [[ $code == 200 ]] && break
    last_body=$(head -c 2000 "$tmp" 2>/dev/null || true)
    if [[ $pid ]] && ! alive "$pid"; then
      rm -f "$tmp" "$(pidfile_of "$svc")"
      DIE_LABEL="logs/$svc.log (this start)" die "$svc exited while starting (see logs/$svc.log)$(others_note "$svc")" "$(this_run_of "$LOG_DIR/$svc.log")"
    fi
    if ((SECONDS >= deadline)); then
      rm -f "$tmp"
      [[ $code == 000 ]] && last_body="no answer"
      DIE_LABEL="logs/$svc.log (this start)" die "$svc did not answer $path with 200 within ${START_TIMEOUT}s (last answer: $code $last_body)$(others_note "$svc")" "$(this_run_of "$LOG_DIR/$svc.log")"
    fi
    sleep 0.5
    n=$((n + 1))
    ((n % 2 == 0)) && dot
  done
  rm -f "$tmp"
  end ok
}

# ---------------------------------------------------------------- 2. ports
# Decide for every port before starting anything: a foreign process on one of them stops us.
declare -A TO_START=()
problems=()
for svc in "${SERVICES[@]}"; do
  port=${SERVICE_PORT[$svc]}
  rc=0
  check_port "$svc" "$port" || rc=$?
  case $rc in
    0) TO_START[$svc]=1 ;;
    1) say "$svc: already running (ours, pid $(pid_in "$(pidfile_of "$svc")"), from a previous start)" ;;
    2)
      lp=$(listener_pid "$port")
      if [[ $lp && $(cmdline_of "$lp") == *dist/main.js* && $(cwd_of "$lp") == "$REPO_ROOT/services/$svc" ]]; then
        say "$svc: already running on :$port, started outside this script ($PORT_HOLDER); using it (stop-services.sh leaves it alone)"
      else
        problems+=("port $port ($svc) is in use by $PORT_HOLDER")
      fi
      ;;
  esac
done
if ((${#problems[@]})); then
  for p in "${problems[@]}"; do printf '%s: ERROR: %s\n' "$SCRIPT" "$p" >&2; done
  die "free the port(s) above (or stop that program), then run $0 again"
fi

# ---------------------------------------------------------------- 3. mail catcher
MAIL_NOTE=
rc=0
check_port mail-catcher "$MAIL_PORT" || rc=$?
case $rc in
  0)
    begin "starting the development mail catcher on :$MAIL_PORT"
    start_detached mail-catcher "$LOG_DIR/mail-catcher.log" "$REPO_ROOT" node "$MAIL_CATCHER_JS" --port "$MAIL_PORT" --out "$MAIL_FILE"
    deadline=$((SECONDS + 15))
    until holds_port "$MAIL_PORT" "$(pid_in "$(pidfile_of mail-catcher)")"; do
      alive "$(pid_in "$(pidfile_of mail-catcher)")" || die "the mail catcher exited while starting" "$LOG_DIR/mail-catcher.log"
      ((SECONDS >= deadline)) && die "the mail catcher did not listen on :$MAIL_PORT within 15s" "$LOG_DIR/mail-catcher.log"
      sleep 0.2
    done
    end ok
    MAIL_NOTE="smtp://localhost:$MAIL_PORT (development mail catcher: every mail lands in logs/mail.jsonl; its log: logs/mail-catcher.log)"
    ;;
  1)
    say "mail catcher: already running (ours, pid $(pid_in "$(pidfile_of mail-catcher)"))"
    MAIL_NOTE="smtp://localhost:$MAIL_PORT (development mail catcher: every mail lands in logs/mail.jsonl; its log: logs/mail-catcher.log)"
    ;;
  2)
    say "mail: something already listens on :$MAIL_PORT ($PORT_HOLDER); the Notification service sends its mail there"
    MAIL_NOTE="smtp://localhost:$MAIL_PORT (not ours: $PORT_HOLDER)"
    ;;
esac

# ---------------------------------------------------------------- 4. services
TRACES_NOTE="off (./start-services.sh --traces, or TRACING=1, turns them on)"
if [[ ${TRACING:-0} == 1 ]]; then
  ZIPKIN_PORT=${ZIPKIN_PORT:-9411}
  export ZIPKIN_PORT
  bash scripts/lib/ensure-zipkin.sh start
  # The standard OpenTelemetry variables, read by packages/telemetry in each service.
  export OTEL_TRACES_EXPORTER=${OTEL_TRACES_EXPORTER:-zipkin}
  export OTEL_EXPORTER_ZIPKIN_ENDPOINT=${OTEL_EXPORTER_ZIPKIN_ENDPOINT:-http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans}
  TRACES_NOTE="http://localhost:$ZIPKIN_PORT/zipkin/   (Zipkin; ./test-services.sh prints its order's trace)"
fi
if ((DEV)); then
  if running_ours tsc-watch; then
    say "tsc -b -w: already running (ours, pid $(pid_in "$(pidfile_of tsc-watch)"))"
  else
    say "starting tsc -b -w (rebuilds on every change; log: logs/tsc-watch.log)"
    start_detached tsc-watch "$LOG_DIR/tsc-watch.log" "$REPO_ROOT" \
      node "$REPO_ROOT/node_modules/typescript/bin/tsc" -b -w tsconfig.build.json --preserveWatchOutput
  fi
fi

# The first admin: given to the User service unless its own .env names one (and the caller
# did not set ADMIN_EMAIL/ADMIN_PASSWORD).
admin_env=("ADMIN_EMAIL=$ADMIN_EMAIL" "ADMIN_PASSWORD=$ADMIN_PASSWORD")
ADMIN_NOTE="$ADMIN_EMAIL / $ADMIN_PASSWORD   (development credentials; set ADMIN_EMAIL/ADMIN_PASSWORD to change)"
if [[ -z $ADMIN_GIVEN ]] && grep -qsE '^\s*ADMIN_(EMAIL|PASSWORD)=' services/user-service/.env; then
  admin_env=()
  ADMIN_NOTE="as set in services/user-service/.env"
fi

for svc in "${SERVICES[@]}"; do
  [[ ${TO_START[$svc]:-} ]] || continue
  [[ -f services/$svc/dist/main.js ]] || die "services/$svc/dist/main.js is missing: the build did not produce it (npx tsc -b tsconfig.build.json)"
  read -ra node_args <<<"${SERVICE_NODE_ARGS:-}"
  node_args+=(dist/main.js)
  ((DEV)) && node_args=(--watch "${node_args[@]}")
  extra=()
  [[ $svc == user-service ]] && extra=("${admin_env[@]}")
  say "starting $svc on :${SERVICE_PORT[$svc]}$( ((DEV)) && echo ' (watch mode)') (log: logs/$svc.log)"
  start_detached "$svc" "$LOG_DIR/$svc.log" "$REPO_ROOT/services/$svc" \
    env "PORT=${SERVICE_PORT[$svc]}" "${extra[@]}" node "${node_args[@]}"
done

# ---------------------------------------------------------------- 5. wait: alive, then ready
# Every service is started before any is waited for: the readiness of one includes the
# services it calls.
for svc in "${SERVICES[@]}"; do wait_http "$svc" /health; done
for svc in "${SERVICES[@]}"; do wait_http "$svc" /health/ready; done

# ---------------------------------------------------------------- 6. where everything is
printf '\n%s: the shop is up (%ss)%s.\n\n' "$SCRIPT" "$((SECONDS - T0))" "$( ((DEV)) && echo ', in watch mode')"
printf '  %-14s %-23s %-33s %s\n' service URL "API docs (Swagger UI)" "raw OpenAPI"
for svc in "${SERVICES[@]}"; do
  base="http://localhost:${SERVICE_PORT[$svc]}"
  printf '  %-14s %-23s %-33s %s\n' "${SERVICE_TITLE[$svc]}" "$base" "$base${DOCS_PATH[$svc]}" "$base${RAW_DOCS_PATH[$svc]}"
done
cat <<EOF

  every service  /health (alive)  /health/ready (each dependency)  /metrics (Prometheus)
  queue board    http://localhost:${SERVICE_PORT[notification-service]}/admin/queues   (HTTP Basic: any user name, the internal key as password)
  traces         $TRACES_NOTE
  mail           $MAIL_NOTE
  admin          $ADMIN_NOTE
  internal key   $INTERNAL_API_KEY   (X-Internal-Key header)
  logs           logs/<service>.log   pids: .run/<name>.pid

  next           ./create-test-data.sh   then   ./test-services.sh
  stop           ./stop-services.sh   (KEEP_INFRA=1 ./stop-services.sh leaves the databases running)
EOF
