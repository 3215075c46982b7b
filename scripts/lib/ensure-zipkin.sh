#!/usr/bin/env bash
# scripts/lib/ensure-zipkin.sh COMMAND: the Zipkin trace viewer on this machine.
#
#   fetch    the Zipkin server jar (io.zipkin:zipkin-server:3.5.1, classifier exec, ~130 MB)
#            from Maven Central with `mvn dependency:copy`, once, into
#            ${SHOP_CACHE_DIR:-~/.cache/shop-microservices}/zipkin; prints the jar's path
#   start    Zipkin on 127.0.0.1:${ZIPKIN_PORT:-9411} with in-memory storage, unless one already
#            answers there: `docker compose up -d zipkin` where a Docker engine answers
#            (`docker info`), else `java -jar` on the fetched jar (Java 17+), detached, its pid in
#            .run/zipkin.pid and its log in logs/zipkin.log; waits until its API answers
#   stop     stops the Zipkin that `start` started (the pid in .run/zipkin.pid, or the compose
#            service); one started otherwise is left alone
#   status   says whether Zipkin answers, and whose it is
#   url      prints the UI's URL
#
# Environment: ZIPKIN_PORT (default 9411), ZIPKIN_START_TIMEOUT seconds (default 90),
# SHOP_CACHE_DIR (default ~/.cache/shop-microservices), JAVA (default java).
set -Eeuo pipefail
SCRIPT=zipkin
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
ZIPKIN_VERSION=3.5.1
ZIPKIN_PORT=${ZIPKIN_PORT:-9411}
CACHE_DIR=${SHOP_CACHE_DIR:-$HOME/.cache/shop-microservices}/zipkin
JAR="$CACHE_DIR/zipkin-server-$ZIPKIN_VERSION-exec.jar"
RUN_DIR="$REPO_ROOT/.run"
LOG_DIR="$REPO_ROOT/logs"
PID_FILE="$RUN_DIR/zipkin.pid"
MODE_FILE="$RUN_DIR/zipkin.mode"
BASE="http://127.0.0.1:$ZIPKIN_PORT"

say() { printf '%s: %s\n' "$SCRIPT" "$*" >&2; }
die() { printf '%s: ERROR: %s\n' "$SCRIPT" "$*" >&2; exit 1; }
answers() { curl -fsS --max-time 2 -o /dev/null "$BASE/health" 2>/dev/null; }
have_docker() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }
pid_in() { [[ -s $PID_FILE ]] && head -n1 "$PID_FILE" | tr -dc 0-9; }
ours_alive() { # the recorded pid still runs our jar
  local pid
  pid=$(pid_in) || return 1
  [[ $pid ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "zipkin-server-$ZIPKIN_VERSION-exec.jar"
}

fetch() {
  if [[ -s $JAR ]]; then
    echo "$JAR"
    return
  fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch the Zipkin server: apt-get install -y maven"
  mkdir -p "$CACHE_DIR"
  # One download at a time, whoever asks (parallel test workers, a start-services.sh).
  exec 9>"$CACHE_DIR/fetch.lock"
  flock 9
  if [[ ! -s $JAR ]]; then
    say "fetching io.zipkin:zipkin-server:$ZIPKIN_VERSION (exec jar, ~130 MB) from Maven Central into $CACHE_DIR (once) ..."
    local log="$CACHE_DIR/fetch.log"
    if ! mvn -B -q dependency:copy "-Dartifact=io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" "-DoutputDirectory=$CACHE_DIR" >"$log" 2>&1 </dev/null; then
      tail -n 20 "$log" >&2
      die "mvn dependency:copy failed (log: $log)"
    fi
    [[ -s $JAR ]] || die "mvn finished but $JAR is not there (log: $log)"
    say "fetched $JAR"
  fi
  flock -u 9
  echo "$JAR"
}

wait_ready() { # PID (optional): until the API answers, the process exits, or the time is up
  local pid=${1:-} deadline=$((SECONDS + ${ZIPKIN_START_TIMEOUT:-90}))
  until answers; do
    if [[ $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$LOG_DIR/zipkin.log" >&2 || true
      die "Zipkin exited while starting (log: logs/zipkin.log)"
    fi
    ((SECONDS < deadline)) || die "Zipkin did not answer $BASE/health within ${ZIPKIN_START_TIMEOUT:-90}s (log: logs/zipkin.log)"
    sleep 0.5
  done
}

start() {
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  if answers; then
    say "Zipkin already answers on :$ZIPKIN_PORT$(ours_alive && echo " (ours, pid $(pid_in))")"
    return
  fi
  if have_docker; then
    say "starting Zipkin with docker compose (service zipkin) ..."
    (cd "$REPO_ROOT" && docker compose up -d zipkin)
    echo compose >"$MODE_FILE"
    wait_ready
  else
    command -v "${JAVA:-java}" >/dev/null || die "Java 17 or newer is needed to run Zipkin: apt-get install -y openjdk-17-jre-headless"
    local jar pid
    jar=$(fetch)
    say "starting Zipkin (java -jar, in-memory storage) on 127.0.0.1:$ZIPKIN_PORT (log: logs/zipkin.log) ..."
    printf '\n==== %s: starting zipkin-server %s\n' "$(date -Is)" "$ZIPKIN_VERSION" >>"$LOG_DIR/zipkin.log"
    (
      cd "$REPO_ROOT"
      # Zipkin's server is Armeria: its first port entry sets both the address and the port.
      STORAGE_TYPE=mem exec setsid "${JAVA:-java}" -Xmx512m -XX:+UseSerialGC -jar "$jar" \
        "--armeria.ports[0].ip=127.0.0.1" "--armeria.ports[0].port=$ZIPKIN_PORT" </dev/null >>"$LOG_DIR/zipkin.log" 2>&1
    ) &
    pid=$!
    disown "$pid" 2>/dev/null || true
    echo "$pid" >"$PID_FILE"
    echo java >"$MODE_FILE"
    wait_ready "$pid"
  fi
  say "Zipkin is up: $BASE/zipkin/"
}

stop() {
  local mode
  mode=$(cat "$MODE_FILE" 2>/dev/null || true)
  if [[ $mode == compose ]] && have_docker; then
    say "stopping Zipkin (docker compose stop zipkin) ..."
    (cd "$REPO_ROOT" && docker compose stop zipkin)
  elif ours_alive; then
    local pid deadline
    pid=$(pid_in)
    say "stopping Zipkin (pid $pid) ..."
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 15))
    while kill -0 "$pid" 2>/dev/null; do
      if ((SECONDS >= deadline)); then
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.2
    done
  elif answers; then
    say "Zipkin on :$ZIPKIN_PORT was not started by this script; left alone"
  fi
  rm -f "$PID_FILE" "$MODE_FILE"
}

status() {
  if answers; then
    local whose="not started by this script"
    ours_alive && whose="ours, pid $(pid_in)"
    [[ $(cat "$MODE_FILE" 2>/dev/null) == compose ]] && whose="docker compose"
    say "Zipkin answers on $BASE/zipkin/ ($whose)"
  else
    say "Zipkin does not answer on :$ZIPKIN_PORT"
    return 1
  fi
}

case ${1:-} in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) echo "http://localhost:$ZIPKIN_PORT/zipkin/" ;;
  *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
