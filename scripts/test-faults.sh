#!/usr/bin/env bash
# `npm run test:faults`: the full fault-injection suite (tests/faults). It needs no shared database:
# it starts PostgreSQL, Redis, FerretDB, Toxiproxy and the four services of its own on free ports.
#   1. npm dependencies and the build (the suite runs the built services)
#   2. Toxiproxy and FerretDB binaries, built once into the cache (~/.cache/shop-microservices)
#   3. jest on tests/faults with FAULTS_PROFILE=full (override: FAULTS_PROFILE=short); extra
#      arguments go to jest. FAULTS_ONLY=product-frozen,order-killed runs some faults only.
# Figures: .data/faults/faults-<profile>.json and .md.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/lib/ensure-deps.sh faults
echo "faults: Toxiproxy at $(bash scripts/lib/ensure-toxiproxy.sh)"
echo "faults: FerretDB at $(bash scripts/infra.sh ferretdb-bin)"
export FAULTS_PROFILE=${FAULTS_PROFILE:-full}
echo "faults: running the $FAULTS_PROFILE profile (jest tests/faults) ..."
exec npx --no-install jest --ci --runInBand tests/faults "$@"
