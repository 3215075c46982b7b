#!/usr/bin/env bash
# Fuzzes every service from its own OpenAPI document with schemathesis and every check it has
# (--checks all): no 5xx (bad input must get a 4xx envelope, a 500 is a bug), answers as
# documented, requests the document allows accepted and those it forbids refused, 405 with Allow
# for a method a path does not have, credentials required where declared. Loopback only, bounded
# (FUZZ_EXAMPLES per operation, FUZZ_TIME_LIMIT seconds per run).
#   npm run test:fuzz                   # starts its own stack on free ports, then runs this
#   scripts/fuzz-api.sh                 # against a running stack (./start-services.sh)
# Targets: USER_URL, PRODUCT_URL, ORDER_URL, NOTIFICATION_URL (default http://127.0.0.1:3001..3004).
# Each operation gets the credential its document declares: an admin's token (FUZZ_TOKEN, or a
# sign-in as ADMIN_EMAIL) for bearer auth, the internal key for the internal-key scheme. Writes
# per-service logs and summary.json + summary.md to FUZZ_OUT (default .data/fuzz); fails on any
# failure. Rules no OpenAPI 3.0 document can express are configured, narrowly and each with its
# reason, in scripts/fuzz-exclusions/<service>.toml (listed in RELIABILITY.md). schemathesis
# (pinned) is installed into a venv outside the repo.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SCHEMATHESIS_VERSION=4.32.5
EXAMPLES=${FUZZ_EXAMPLES:-20}
TIME_LIMIT=${FUZZ_TIME_LIMIT:-300}
KEY=${INTERNAL_API_KEY:-workshop_internal_key_2023}
KEY=${KEY%%,*}
ADMIN_EMAIL=${ADMIN_EMAIL:-admin@shop.local}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-admin-dev-password-1}
VENV=${FUZZ_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/shop-microservices/fuzz-venv-$SCHEMATHESIS_VERSION}
OUT=${FUZZ_OUT:-.data/fuzz}
declare -A URL=(
  [user]=${USER_URL:-http://127.0.0.1:3001}
  [product]=${PRODUCT_URL:-http://127.0.0.1:3002}
  [order]=${ORDER_URL:-http://127.0.0.1:3003}
  [notification]=${NOTIFICATION_URL:-http://127.0.0.1:3004}
)
declare -A DOC=([user]=/api-docs.json [product]=/api-json [order]=/api/docs.json [notification]=/api-docs-json)

for service in "${!URL[@]}"; do
  [[ ${URL[$service]} =~ ^http://(127\.0\.0\.1|localhost)(:[0-9]+)?$ ]] ||
    { echo "fuzz: ${URL[$service]} is not a loopback address: refusing to fuzz it" >&2; exit 2; }
done

if [[ ! -x $VENV/bin/schemathesis ]]; then
  echo "fuzz: installing schemathesis $SCHEMATHESIS_VERSION (PyPI) into $VENV ..."
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

token=${FUZZ_TOKEN:-}
if [[ -z $token ]]; then
  echo "fuzz: signing in as $ADMIN_EMAIL at ${URL[user]} ..."
  token=$(curl -sf -X POST "${URL[user]}/api/users/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" |
    node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).data.token)') ||
    { echo "fuzz: cannot sign in as $ADMIN_EMAIL: is the stack running (./start-services.sh)?" >&2; exit 1; }
fi

rm -rf "$OUT/logs" "$OUT/config"
mkdir -p "$OUT/logs" "$OUT/config"
results=()
for service in user product order notification; do
  log="$OUT/logs/$service.log"
  config="$OUT/config/$service.toml"
  # Credentials per security scheme of the service's own document (not -H, which rides on every
  # request, probes included): schemathesis then sends the credential an operation declares, and
  # its authentication checks can take it away or spoil it and expect the documented 401.
  # The credentials stay in the environment: the file names the variables schemathesis reads.
  curl -sf "${URL[$service]}${DOC[$service]}" | node -e '
    const schemes = JSON.parse(require("fs").readFileSync(0, "utf8")).components?.securitySchemes ?? {};
    for (const [name, scheme] of Object.entries(schemes)) {
      const credential = scheme.type === "apiKey" ? "api_key = \"${FUZZ_INTERNAL_KEY}\"" : "bearer = \"${FUZZ_BEARER_TOKEN}\"";
      process.stdout.write(`[auth.openapi.${JSON.stringify(name)}]\n${credential}\n\n`);
    }' >"$config" ||
    { echo "fuzz: cannot read the OpenAPI document of $service at ${URL[$service]}${DOC[$service]}" >&2; exit 1; }
  # The few rules a document cannot express, one operation and one field or status each (why: in the file).
  [[ -f scripts/fuzz-exclusions/$service.toml ]] && cat "scripts/fuzz-exclusions/$service.toml" >>"$config"
  echo "fuzz: $service (${URL[$service]}), $EXAMPLES examples per operation ..."
  rc=0
  # One worker: hypothesis' lambda-source cache is not thread-safe, and with two a run could stop
  # an operation on an internal error of the tool's own ("AST constructor recursion depth mismatch").
  FUZZ_BEARER_TOKEN=$token FUZZ_INTERNAL_KEY=$KEY timeout "$TIME_LIMIT" "$VENV/bin/schemathesis" --config-file "$config" run "${URL[$service]}${DOC[$service]}" \
    --url "${URL[$service]}" --checks all --max-examples "$EXAMPLES" --workers 1 \
    --seed 42 --no-color >"$log" 2>&1 || rc=$?
  results+=("$service $rc $log")
  grep -A1 'Test cases:' "$log" | tail -n1 || true
done

node scripts/fuzz-summary.js "$OUT" "$EXAMPLES" "${results[@]}"
