#!/usr/bin/env bash
# ./stop-services.sh: stops what ./start-services.sh started, then the databases.
#
#   1. the four services, the mail catcher and (after --dev) the tsc watcher: only the pids
#      recorded in .run/ whose command line is still ours; SIGTERM to each one's process group
#      (graceful shutdown), SIGKILL after STOP_GRACE seconds (default 15)
#   2. scripts/infra.sh down: the database servers that scripts/infra.sh started (servers it
#      found already running are left alone)
#
# Nothing else is touched: a program that holds one of our ports without having been started
# by start-services.sh is named, not stopped.
# Environment:
#   KEEP_INFRA=1   leave the databases running (step 2 skipped), e.g. when other work on this
#                  machine uses them
#   STOP_GRACE     seconds between SIGTERM and SIGKILL (default 15)
set -Eeuo pipefail
SCRIPT=stop
# shellcheck source=scripts/services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/services/lib.sh"
cd "$REPO_ROOT"

USAGE="usage: $0  (KEEP_INFRA=1 $0 keeps the databases running)" no_args "$@"
STOP_GRACE=${STOP_GRACE:-15}
[[ $STOP_GRACE =~ ^[0-9]+$ ]] || die "STOP_GRACE must be a number of seconds (got '$STOP_GRACE')"
close_inherited_fds

# ---------------------------------------------------------------- 1. our processes
# The services first (they may still send mail while shutting down), the mail catcher and the
# watcher after them.
signal_ours() { # SIGNAL NAME PID: the whole process group when the pid leads one (setsid)
  if [[ $(pgid_of "$3") == "$3" ]]; then kill "-$1" -- "-$3" 2>/dev/null || true; else kill "-$1" "$3" 2>/dev/null || true; fi
}
group_alive() { # PID: the process or anything in its process group
  alive "$1" && return 0
  pgrep -g "$1" >/dev/null 2>&1
}

stop_group() { # NAME...: SIGTERM all, wait for all, SIGKILL what is left
  local name pid names=() pids=() i deadline
  for name in "$@"; do
    pid=$(pid_in "$(pidfile_of "$name")")
    [[ -e $(pidfile_of "$name") ]] || continue
    if is_ours "$pid" "$(kind_of "$name")"; then
      names+=("$name")
      pids+=("$pid")
    else
      say "$name: not running (removing the stale $(basename "$(pidfile_of "$name")"))"
      rm -f "$(pidfile_of "$name")"
    fi
  done
  ((${#pids[@]})) || return 0
  begin "stopping ${names[*]} (SIGTERM)"
  for i in "${!pids[@]}"; do signal_ours TERM "${names[$i]}" "${pids[$i]}"; done
  deadline=$((SECONDS + STOP_GRACE))
  local n=0 left
  while :; do
    left=()
    for i in "${!pids[@]}"; do group_alive "${pids[$i]}" && left+=("$i"); done
    ((${#left[@]})) || break
    if ((SECONDS >= deadline)); then
      for i in "${left[@]}"; do signal_ours KILL "${names[$i]}" "${pids[$i]}"; done
      end "killed ${#left[@]} that did not stop within ${STOP_GRACE}s: $(for i in "${left[@]}"; do printf '%s ' "${names[$i]}"; done)"
      sleep 0.5
      break
    fi
    sleep 0.2
    n=$((n + 1))
    ((n % 5 == 0)) && dot
  done
  [[ ${STEP_START:-} ]] && end ok
  for name in "${names[@]}"; do rm -f "$(pidfile_of "$name")"; done
}

stop_group "${SERVICES[@]}"
stop_group mail-catcher tsc-watch
# The Zipkin that ./start-services.sh --traces started (none else).
if [[ -e $RUN_DIR/zipkin.pid || -e $RUN_DIR/zipkin.mode ]]; then bash scripts/lib/ensure-zipkin.sh stop; fi

# ---------------------------------------------------------------- 2. databases
if [[ ${KEEP_INFRA:-0} == 1 ]]; then
  say "KEEP_INFRA=1: leaving the databases running (scripts/infra.sh down stops them)"
else
  say "stopping the databases this checkout started (scripts/infra.sh down) ..."
  bash scripts/infra.sh down
fi

# ---------------------------------------------------------------- 3. what is left on our ports
status=0
for name in "${SERVICES[@]}" mail-catcher; do
  if [[ $name == mail-catcher ]]; then port=$MAIL_PORT; else port=${SERVICE_PORT[$name]}; fi
  port_busy "$port" || continue
  lp=$(listener_pid "$port")
  if [[ $lp ]] && { is_ours "$lp" "$(kind_of "$name")" || [[ $(cwd_of "$lp") == "$REPO_ROOT"* ]]; }; then
    warn ":$port is still held by $(describe_pid "$lp"), a process of this checkout that start-services.sh did not record; stop it with: kill $lp"
    status=1
  else
    say "note: :$port is in use by $(describe_pid "$lp"), which start-services.sh did not start; left alone"
  fi
done
((status == 0)) && say "done: no service of ours is running"
exit "$status"
