#!/usr/bin/env bash
# `npm run bench [-- scenario ...]`: benchmarks/run.js under a supported Node (the machine's when
# it is 22 or later, else the one scripts/lib/ensure-node.sh fetches), whatever Node npm runs on.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/ensure-node.sh
source scripts/lib/ensure-node.sh
ensure_node bench
exec node benchmarks/run.js "$@"
