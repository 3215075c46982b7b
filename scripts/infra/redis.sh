# shellcheck shell=bash
# scripts/infra.sh: Redis, a local redis-server with its files in the data folder (or one found
# running). Sourced.

redis_ping() {
  if command -v redis-cli >/dev/null 2>&1; then
    [[ $(timeout 3 redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
  else
    timeout 3 bash -c "exec 3<>/dev/tcp/$HOST/$REDIS_PORT && printf 'PING\r\n' >&3 && IFS= read -r l <&3 && [[ \$l == +PONG* ]]" 2>/dev/null
  fi
}
redis_ours() { pid_alive "$REDIS_PID" redis-server; }

redis_install() {
  if ((IS_ROOT)); then
    begin "installing redis-server (apt-get)"
    apt_install "$LOG_DIR/apt.log" redis-server
    end ok
    command -v redis-server >/dev/null 2>&1 || die "redis-server still not found after apt-get install"
  else
    die "redis-server is not installed. Run:  sudo apt-get update && sudo apt-get install -y redis-server"
  fi
}

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
  command -v redis-server >/dev/null 2>&1 || redis_install
  cat >"$REDIS_DIR/redis.conf" <<CONF
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
CONF
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

redis_status() { # one line; 1 when it does not answer
  local how
  if redis_ours; then how="local, ours (pid $(pid_in "$REDIS_PID"))"
  elif [[ $DOCKER_SVCS == *" redis "* ]]; then how="docker, ours"
  else how="not ours"; fi
  if redis_ping; then say "Redis       :$REDIS_PORT  up    ($how)"; else say "Redis       :$REDIS_PORT  DOWN"; return 1; fi
}
