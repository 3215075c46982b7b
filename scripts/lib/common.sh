# shellcheck shell=bash disable=SC2034 # the variables defined here are used by the scripts that source it
# The one shell library of this repo's scripts (scripts/infra.sh and scripts/infra/*, the root
# scripts through scripts/services/lib.sh): output, help and arguments, processes and ports,
# waiting. Sourced, never run. Every line a script prints starts with "$SCRIPT: ".

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
SCRIPT=${SCRIPT:-$(basename "$0" .sh)}

# ---------------------------------------------------------------- output
# A step prints one line: "name ....... ok (3s)". `begin` opens it, `dot` shows progress,
# `end` closes it.
begin() { printf '%s: %s ...' "$SCRIPT" "$*"; STEP_START=$SECONDS; }
dot() { printf '.'; }
end() { printf '  %s (%ss)\n' "${1:-ok}" "$((SECONDS - STEP_START))"; STEP_START=; }
say() { printf '%s: %s\n' "$SCRIPT" "$*"; }
warn() { printf '%s: warning: %s\n' "$SCRIPT" "$*" >&2; }
fail_step() { [[ ${STEP_START:-} ]] && printf '  FAILED\n'; STEP_START=; }

# die MESSAGE [LOGFILE...]: stop with a message and the tail of each log that has content. A log
# is named by its path inside the repo; DIE_LABEL (set for the call) names the first one instead.
die() {
  local msg=$1 f label
  shift
  fail_step
  printf '%s: ERROR: %s\n' "$SCRIPT" "$msg" >&2
  for f in "$@"; do
    if [[ -s $f ]]; then
      label=${DIE_LABEL:-${f#"$REPO_ROOT"/}}
      DIE_LABEL=
      printf '%s: ---- last lines of %s ----\n' "$SCRIPT" "$label" >&2
      tail -n "${TAIL_LINES:-40}" "$f" >&2 || true
      printf '%s: ---- end of %s ----\n' "$SCRIPT" "$label" >&2
    fi
  done
  exit 1
}

# ---------------------------------------------------------------- help and arguments
# print_help FILE: the comment block at the top of FILE (after the #! line), without the "# ";
# every script's help is the comment that documents it.
print_help() {
  awk 'NR == 1 && /^#!/ { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$1"
}

# no_args "$@": for a script that takes no arguments: -h/--help prints its help, anything else
# the usage line (USAGE, default "usage: <script>") and exit 2.
no_args() {
  case ${1:-} in
    "") ;;
    -h | --help) print_help "$0"; exit 0 ;;
    *) echo "${USAGE:-usage: $0}" >&2; exit 2 ;;
  esac
}

# ---------------------------------------------------------------- processes and ports
# Processes started by a script inherit its open files: close all but stdin/out/err so that no
# server keeps a caller's pipe open (a CI step would wait on it forever).
close_inherited_fds() {
  local fd
  for fd in "/proc/$$/fd"/*; do
    fd=${fd##*/}
    if [[ $fd =~ ^[0-9]+$ ]] && ((fd > 2 && fd != 255)); then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

pid_in() { if [[ -s $1 ]]; then head -n1 "$1" | tr -dc 0-9; fi; } # PIDFILE -> pid (or nothing)
alive() { [[ $1 ]] && kill -0 "$1" 2>/dev/null; }
# These three print nothing (and succeed) for a process that is gone or not ours to inspect.
cmdline_of() { { tr '\0' ' ' <"/proc/$1/cmdline" | sed 's/ $//'; } 2>/dev/null || true; }
cwd_of() { readlink "/proc/$1/cwd" 2>/dev/null || true; }
pgid_of() { { ps -o pgid= -p "$1" | tr -dc 0-9; } 2>/dev/null || true; }
# pid_alive PIDFILE PATTERN: the pid in PIDFILE is alive and its command line contains PATTERN
# (a reused pid, or a stale file after a reboot, is not taken for ours)
pid_alive() {
  local pid
  pid=$(pid_in "$1" 2>/dev/null)
  alive "$pid" && [[ $(cmdline_of "$pid") == *"$2"* ]]
}

# stop_pid PIDFILE PATTERN NAME SECONDS: SIGTERM, wait, then SIGKILL; 1 when it was not running
stop_pid() {
  local pidfile=$1 pattern=$2 name=$3 wait=${4:-20} pid i
  if ! pid_alive "$pidfile" "$pattern"; then
    rm -f "$pidfile"
    return 1
  fi
  pid=$(pid_in "$pidfile")
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

tcp_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; } # HOST PORT: accepts connections
# The pid of the process listening on a TCP port, when the system lets us see it.
listener_pid() { # PORT
  local pid
  pid=$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true)
  if [[ -z $pid ]] && command -v lsof >/dev/null 2>&1; then
    pid=$(lsof -nP -t -iTCP:"$1" -sTCP:LISTEN 2>/dev/null | head -n1 || true)
  fi
  echo "$pid"
}
port_busy() { # PORT: something accepts connections (or listens) there
  [[ $(listener_pid "$1") ]] && return 0
  ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
  tcp_open 127.0.0.1 "$1"
}
describe_pid() { # PID -> "pid 123: node dist/main.js (in /path)"
  local pid=$1 cwd
  if [[ -z $pid ]]; then echo "a process this user cannot see"; return; fi
  cwd=$(cwd_of "$pid")
  echo "pid $pid: $(cmdline_of "$pid" | cut -c1-160) (in ${cwd:-?})"
}
# Whether the listener on PORT belongs to PID: the process itself or, with `node --watch`, its
# child (every process the scripts start leads its own process group).
holds_port() { # PORT PID
  local lp
  lp=$(listener_pid "$1")
  [[ $lp && ($lp == "$2" || $(pgid_of "$lp") == "$2") ]]
}

# ---------------------------------------------------------------- waiting and the rest
# wait_until NAME PROBE ALIVE_CHECK LOG...: poll PROBE until it succeeds (WAIT_TIMEOUT seconds,
# default 90), printing progress dots; fail early when ALIVE_CHECK (or - for none) says the
# process died
wait_until() {
  local name=$1 probe=$2 alive_check=$3
  shift 3
  local deadline=$((SECONDS + ${WAIT_TIMEOUT:-90})) n=0
  until $probe; do
    if [[ $alive_check != - ]] && ! $alive_check; then
      die "$name exited during startup" "$@"
    fi
    ((SECONDS >= deadline)) && die "$name did not answer within ${WAIT_TIMEOUT:-90}s" "$@"
    sleep 0.5
    n=$((n + 1))
    if ((n % 2 == 0)); then dot; fi
  done
  return 0
}

hash_of() { cat "$@" | sha256sum | cut -c1-12; } # FILE...: of the contents only, not the paths
str_hash() { printf '%s' "$1" | sha256sum | cut -c1-12; }

# apt_install LOG PACKAGE...: Debian packages, as root (apt-get update once per run)
APT_UPDATED=0
apt_install() {
  local log=$1 made_policy=0 rc=0
  shift
  mkdir -p "$(dirname "$log")"
  if ((!APT_UPDATED)); then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$log" 2>&1 </dev/null ||
      die "apt-get update failed" "$log"
    APT_UPDATED=1
  fi
  # Keep a package's own init script from starting a system-wide server on our port.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$log" 2>&1 </dev/null || rc=$?
  ((made_policy)) && rm -f /usr/sbin/policy-rc.d
  ((rc == 0)) || die "apt-get install $* failed" "$log"
}
