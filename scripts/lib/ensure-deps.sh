#!/usr/bin/env bash
# Installs npm dependencies when they are missing, older than package-lock.json or installed
# under another Node major (native modules are built for one), then builds every workspace
# (tsc -b is incremental: a no-op when nothing changed). Runs under a supported Node
# (scripts/lib/ensure-node.sh).
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
prefix=${1:-setup}
# shellcheck source=scripts/lib/ensure-node.sh
source scripts/lib/ensure-node.sh
ensure_node "$prefix"
major=$(node_major)
stamp=node_modules/.shop-node-major
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "$prefix: installing npm dependencies (npm ci) ..."
elif [[ $(cat "$stamp" 2>/dev/null) != "$major" ]]; then
  echo "$prefix: node_modules was installed under Node $(cat "$stamp" 2>/dev/null || echo '(not recorded)'), this is Node $major: reinstalling (npm ci) ..."
else
  major=
fi
if [[ $major ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$major" >"$stamp"
fi
echo "$prefix: building all workspaces (tsc -b) ..."
npx --no-install tsc -b tsconfig.build.json
