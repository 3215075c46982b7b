#!/usr/bin/env bash
# Installs npm dependencies when they are missing or older than package-lock.json, then builds
# every workspace (tsc -b is incremental: a no-op when nothing changed).
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
prefix=${1:-setup}
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "$prefix: installing npm dependencies (npm ci) ..."
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "$prefix: building all workspaces (tsc -b) ..."
npx --no-install tsc -b tsconfig.build.json
