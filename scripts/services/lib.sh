# shellcheck shell=bash disable=SC2034 # the variables defined here are used by the scripts that source it
# Shared by the root scripts (start-services.sh, stop-services.sh, create-test-data.sh,
# test-services.sh): the shop's services, which process is ours, HTTP and JSON helpers, on top
# of the repo's shell library (scripts/lib/common.sh). Sourced, never run.

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=scripts/lib/ensure-node.sh
source "$REPO_ROOT/scripts/lib/ensure-node.sh"
RUN_DIR="$REPO_ROOT/.run"
LOG_DIR="$REPO_ROOT/logs"

# ---------------------------------------------------------------- the system
SERVICES=(user-service product-service order-service notification-service)
declare -A SERVICE_PORT=([user-service]=3001 [product-service]=3002 [order-service]=3003 [notification-service]=3004)
declare -A SERVICE_TITLE=([user-service]="User" [product-service]="Product" [order-service]="Order" [notification-service]="Notification")
declare -A DOCS_PATH=([user-service]=/api-docs [product-service]=/api [order-service]=/api/docs [notification-service]=/api-docs)
declare -A RAW_DOCS_PATH=([user-service]=/api-docs.json [product-service]=/api-json [order-service]=/api/docs.json [notification-service]=/api-docs-json)
MAIL_PORT=${MAIL_CATCHER_PORT:-1025}
MAIL_FILE="$LOG_DIR/mail.jsonl"
MAIL_CATCHER_JS="$REPO_ROOT/scripts/services/mail-catcher.js"

INTERNAL_API_KEY=${INTERNAL_API_KEY:-workshop_internal_key_2023}
USER_SERVICE_URL=${USER_SERVICE_URL:-http://localhost:3001}
PRODUCT_SERVICE_URL=${PRODUCT_SERVICE_URL:-http://localhost:3002}
ORDER_SERVICE_URL=${ORDER_SERVICE_URL:-http://localhost:3003}
NOTIFICATION_SERVICE_URL=${NOTIFICATION_SERVICE_URL:-http://localhost:3004}
# The first admin the User service creates at start-up (development values; printed).
ADMIN_EMAIL=${ADMIN_EMAIL:-admin@shop.local}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-admin-dev-password-1}

service_url() { # SERVICE -> base URL (overridable with the *_SERVICE_URL variables)
  case $1 in
    user-service) echo "$USER_SERVICE_URL" ;;
    product-service) echo "$PRODUCT_SERVICE_URL" ;;
    order-service) echo "$ORDER_SERVICE_URL" ;;
    notification-service) echo "$NOTIFICATION_SERVICE_URL" ;;
  esac
}

# ---------------------------------------------------------------- processes and ports
# What a pid file of ours may point at: the command line must still be the one we started
# (a reused pid, or a stale file after a reboot, is never signalled).
#   service:<name>   node [--watch] dist/main.js running in services/<name>
#   mail-catcher     node scripts/services/mail-catcher.js
#   tsc-watch        tsc -b -w over tsconfig.build.json, in the repo root
is_ours() { # PID KIND
  local pid=$1 kind=$2 cmd cwd
  alive "$pid" || return 1
  cmd=$(cmdline_of "$pid")
  cwd=$(cwd_of "$pid")
  case $kind in
    service:*) [[ $cmd == *node*dist/main.js* && $cwd == "$REPO_ROOT/services/${kind#service:}" ]] ;;
    mail-catcher) [[ $cmd == *node*"$MAIL_CATCHER_JS"* ]] ;;
    tsc-watch) [[ $cmd == *tsc*-w*tsconfig.build.json* && $cwd == "$REPO_ROOT" ]] ;;
    *) return 1 ;;
  esac
}

pidfile_of() { echo "$RUN_DIR/$1.pid"; } # NAME (a service, mail-catcher or tsc-watch)
kind_of() { case $1 in mail-catcher | tsc-watch) echo "$1" ;; *) echo "service:$1" ;; esac; }

# ---------------------------------------------------------------- HTTP and JSON
require_curl() { command -v curl >/dev/null 2>&1 || die "curl is required (apt-get install -y curl)"; }

# client_setup "$@": the start of a script that talks to a running shop and takes no arguments
# (create-test-data.sh, test-services.sh): its help, curl, a supported Node, the customer
client_setup() {
  no_args "$@"
  require_curl
  ensure_node "$SCRIPT"
  CUSTOMER_EMAIL=${CUSTOMER_EMAIL:-john.doe@example.com}
  CUSTOMER_PASSWORD=${CUSTOMER_PASSWORD:-john-doe-password-1}
}

# http METHOD URL [BODY] [HEADER...]: sets HTTP_STATUS (000 when nothing answered) and HTTP_BODY,
# and HTTP_TRACE_ID (the X-Trace-Id a service answers with when tracing is on; else empty).
# Temporary files are removed on exit; a script adds its own clean-up to EXIT_HOOKS.
EXIT_HOOKS=()
HTTP_TMP=$(mktemp) # created here, so that $(...) subshells share it instead of leaking their own
run_exit_hooks() {
  local hook
  for hook in "${EXIT_HOOKS[@]}"; do $hook || true; done
  [[ $HTTP_TMP ]] && rm -f "$HTTP_TMP" "$HTTP_TMP".*
  return 0
}
trap run_exit_hooks EXIT

http() {
  local method=$1 url=$2 body=${3:-} args=() h
  shift 2
  (($#)) && shift
  args=(-sS -o "$HTTP_TMP" -D "$HTTP_TMP.hdr" -w '%{http_code}' -X "$method" --max-time "${HTTP_TIMEOUT:-15}" -H 'Accept: application/json')
  for h in "$@"; do args+=(-H "$h"); done
  [[ $body ]] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  HTTP_STATUS=$(curl "${args[@]}" "$url" 2>"$HTTP_TMP.err") || HTTP_STATUS=000
  if [[ $HTTP_STATUS == 000 ]]; then
    HTTP_BODY=$(cat "$HTTP_TMP.err")
  else
    HTTP_BODY=$(cat "$HTTP_TMP")
  fi
  HTTP_TRACE_ID=$({ grep -i '^x-trace-id:' "$HTTP_TMP.hdr" | tail -n1 | cut -d: -f2 | tr -dc '0-9a-f'; } 2>/dev/null || true)
  rm -f "$HTTP_TMP.err" "$HTTP_TMP.hdr"
}

# JSON through jq when installed, else node (always there). Paths are the jq subset
# `.a.b[0].c`; a missing value prints nothing.
HAVE_JQ=0
[[ ${SHOP_NO_JQ:-} ]] || ! command -v jq >/dev/null 2>&1 || HAVE_JQ=1

json_get() { # PATH < JSON
  if ((HAVE_JQ)); then
    jq -r "($1) | if . == null then empty elif (type == \"object\" or type == \"array\") then tojson else . end" 2>/dev/null
  else
    node -e '
      let v; try { v = JSON.parse(require("fs").readFileSync(0, "utf8")); } catch { process.exit(0); }
      for (const part of process.argv[1].match(/[^.[\]]+/g) ?? []) v = v == null ? undefined : v[/^\d+$/.test(part) ? Number(part) : part];
      if (v !== undefined && v !== null) console.log(typeof v === "object" ? JSON.stringify(v) : String(v));' "$1"
  fi
}
# json_find ARRAY_PATH FIELD VALUE [OUT_FIELD]: OUT_FIELD (default id) of the first element of
# the array whose FIELD equals VALUE.
json_find() {
  local out=${4:-id}
  if ((HAVE_JQ)); then
    jq -r --arg f "$2" --arg v "$3" --arg o "$out" "first(($1 // [])[] | select(.[\$f] == \$v) | .[\$o]) // empty" 2>/dev/null
  else
    node -e '
      let v; try { v = JSON.parse(require("fs").readFileSync(0, "utf8")); } catch { process.exit(0); }
      const [path, field, value, out] = process.argv.slice(1);
      for (const part of path.match(/[^.[\]]+/g) ?? []) v = v == null ? undefined : v[/^\d+$/.test(part) ? Number(part) : part];
      const hit = Array.isArray(v) ? v.find((e) => e && e[field] === value) : undefined;
      if (hit && hit[out] != null) console.log(String(hit[out]));' "$1" "$2" "$3" "$out"
  fi
}
json_str() { # VALUE -> a JSON string literal
  if ((HAVE_JQ)); then jq -Rn --arg v "$1" '$v'; else node -e 'console.log(JSON.stringify(process.argv[1]))' "$1"; fi
}
urlencode() { node -e 'console.log(encodeURIComponent(process.argv[1]))' "$1"; }
