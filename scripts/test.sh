#!/usr/bin/env bash
# `npm test`: everything a fresh clone needs, then every test of every workspace.
#   0. a supported Node (>= 22): the machine's, else Node 24 fetched into a cache
#      (scripts/lib/ensure-node.sh); npm started this script on whatever Node it has, so the
#      switch happens here, before npm ci, tsc and jest
#   1. npm dependencies and the build (the cross-service tests run the built services)
#   2. the databases (scripts/infra.sh up: PostgreSQL, Redis, MongoDB-wire)
#   3. Chromium for the Swagger UI browser test; Toxiproxy and FerretDB binaries for the short
#      fault-injection profile (tests/faults, FAULTS_PROFILE=short; `npm run test:faults` is the full one)
#   4. static checks: the type-check of everything, tests included (jest's SWC transform does
#      not type-check), eslint, the import boundaries (dependency-cruiser, .dependency-cruiser.js)
#      and prettier
#   5. jest over all workspaces (extra arguments go to jest, e.g. `npm test -- services/user-service`)
# The databases are left running for the next run; `scripts/infra.sh down` stops them.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/lib/ensure-node.sh
source scripts/lib/ensure-node.sh
ensure_node test
bash scripts/lib/ensure-deps.sh test
echo "test: starting the databases (scripts/infra.sh up) ..."
bash scripts/infra.sh up
CHROMIUM_PATH=$(bash scripts/lib/ensure-chromium.sh)
export CHROMIUM_PATH
# The fault-injection suite's short profile (tests/faults) runs Toxiproxy and FerretDB binaries of its own.
echo "test: Toxiproxy for the fault-injection suite at $(bash scripts/lib/ensure-toxiproxy.sh)"
echo "test: FerretDB for the fault-injection suite at $(bash scripts/infra.sh ferretdb-bin)"
# deploy/k8s/validate.sh (tests/deploy) renders the manifests: kubectl or kustomize, and PyYAML.
deploy_tools=$(bash scripts/lib/ensure-deploy-tools.sh)
if [[ -n $deploy_tools ]]; then export PATH="$deploy_tools:$PATH"; fi

echo "test: type-checking every workspace with its tests (tsc -p tsconfig.json) ..."
npx --no-install tsc -p tsconfig.json
echo "test: linting (eslint) and checking the formatting (prettier) ..."
npx --no-install eslint .
npx --no-install prettier --check --log-level warn .
echo "test: checking the import boundaries (dependency-cruiser, .dependency-cruiser.js) ..."
npx --no-install depcruise --config .dependency-cruiser.js packages services tests --output-type json | node scripts/lib/folder-cycles.js

mkdir -p .data
results=.data/jest-results.json
rm -f "$results"
echo "test: running jest ..."
status=0
npx --no-install jest --ci --json --outputFile="$results" "$@" || status=$?

# One plain closing line that any CI can read.
if [[ -f $results ]]; then
  node -e '
    const r = require(process.argv[1]);
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
    if (r.numTotalTests === 0) { console.error("test: no test ran"); process.exit(1); }
  ' "$PWD/$results" || status=1
fi
exit "$status"
