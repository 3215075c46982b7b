#!/usr/bin/env bash
# `npm run test:faults`: the full fault-injection suite (tests/faults). It needs no shared database:
# it starts PostgreSQL, Redis, FerretDB, Toxiproxy and the four services of its own on free ports.
#   1. npm dependencies and the build (the suite runs the built services)
#   2. Toxiproxy and FerretDB binaries, built once into the cache (~/.cache/shop-microservices)
#   3. jest on tests/faults with FAULTS_PROFILE=full (override: FAULTS_PROFILE=short); extra
#      arguments go to jest. FAULTS_ONLY=product-frozen,order-killed runs some faults only.
#      FAULTS_REPLICAS=2 (`npm run test:faults:replicas`): two processes of each service behind
#      HAProxy, installed from Debian's packages on first use (scripts/lib/ensure-haproxy.sh).
# Figures: .data/faults/faults-<profile>.json and .md (faults-<profile>-replicas2.* with two replicas).
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/lib/ensure-deps.sh faults
echo "faults: Toxiproxy at $(bash scripts/lib/ensure-toxiproxy.sh)"
echo "faults: FerretDB at $(bash scripts/infra.sh ferretdb-bin)"
if [[ ${FAULTS_REPLICAS:-1} != 1 ]]; then
  echo "faults: HAProxy at $(bash scripts/lib/ensure-haproxy.sh)"
fi
export FAULTS_PROFILE=${FAULTS_PROFILE:-full}
echo "faults: running the $FAULTS_PROFILE profile (jest tests/faults) ..."
exec npx --no-install jest --ci --runInBand tests/faults "$@"
