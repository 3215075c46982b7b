#!/usr/bin/env bash
# Fuzzes every service of a running stack (./start-services.sh) from its own OpenAPI document
# with schemathesis, and fails on any 5xx: bad input must get a 4xx envelope, a 500 is a bug.
# Loopback only. Installs schemathesis (PyPI) into .data/fuzz-venv on first use.
#   scripts/fuzz-api.sh                 # 50 examples per operation
#   FUZZ_EXAMPLES=200 scripts/fuzz-api.sh
# Runs as the seeded admin and with the internal key, so protected operations are reached too.
# Note: the User service rate-limits sign-ins per address; restart it before a second run.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
EXAMPLES=${FUZZ_EXAMPLES:-50}
KEY=${INTERNAL_API_KEY:-workshop_internal_key_2023}
KEY=${KEY%%,*}
ADMIN_EMAIL=${ADMIN_EMAIL:-admin@shop.local}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-admin-dev-password-1}
VENV=.data/fuzz-venv

if [[ ! -x $VENV/bin/schemathesis ]]; then
  echo "fuzz: installing schemathesis into $VENV ..."
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet 'schemathesis>=4,<5'
fi

token=$(curl -sf -X POST http://127.0.0.1:3001/api/users/login -H 'content-type: application/json' \
  -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" |
  node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).data.token)') ||
  { echo "fuzz: cannot sign in as $ADMIN_EMAIL: is the stack running (./start-services.sh)?" >&2; exit 1; }

status=0
for spec in 3001:/api-docs.json 3002:/api-json 3003:/api/docs.json 3004:/api-docs-json; do
  port=${spec%%:*} doc=${spec#*:}
  for auth in "Authorization: Bearer $token" "X-Internal-Key: $KEY"; do
    log=".data/fuzz-$port-${auth%%:*}.log"
    echo "fuzz: :$port with ${auth%%:*} ..."
    "$VENV/bin/schemathesis" run "http://127.0.0.1:$port$doc" --url "http://127.0.0.1:$port" \
      --checks not_a_server_error --max-examples "$EXAMPLES" --workers 2 -H "$auth" --no-color >"$log" 2>&1 || true
    grep -A1 'Test cases:' "$log" | tail -n1
    if grep -q '= FAILURES =' "$log"; then
      status=1
      sed -n '/= FAILURES =/,/= SUMMARY =/p' "$log"
    elif grep -q '= ERRORS =' "$log"; then
      # schemathesis' own faults (e.g. in its schema walker) are not findings about our API.
      echo "fuzz: note: schemathesis reported an error of its own; see $log"
    fi
  done
done
exit "$status"
