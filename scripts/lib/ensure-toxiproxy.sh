#!/usr/bin/env bash
# Builds Toxiproxy (Shopify's fault-injection TCP proxy, a Go program) once from the Go module
# proxy into the cache, outside the repo, and prints the binary's path. About a minute the first
# time; later runs only print the path.
#   SHOP_CACHE_DIR  cache folder (default ~/.cache/shop-microservices); the binary goes to bin/
set -Eeuo pipefail
VERSION=v2.5.0
CACHE_DIR=${SHOP_CACHE_DIR:-${HOME:-/root}/.cache/shop-microservices}
BIN_DIR="$CACHE_DIR/bin"
BIN="$BIN_DIR/toxiproxy-server-${VERSION#v}"

if [[ -x $BIN ]]; then
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null 2>&1 || {
  echo "ensure-toxiproxy: the Go toolchain is needed to build Toxiproxy (install Go 1.22+)" >&2
  exit 1
}
mkdir -p "$BIN_DIR"
# One build at a time: concurrent runs wait for the first one and reuse its binary.
exec 9>>"$CACHE_DIR/toxiproxy.lock"
flock -w 900 9 || {
  echo "ensure-toxiproxy: could not take $CACHE_DIR/toxiproxy.lock" >&2
  exit 1
}
if [[ ! -x $BIN ]]; then
  echo "ensure-toxiproxy: building github.com/Shopify/toxiproxy/v2/cmd/server@$VERSION (once; about a minute) ..." >&2
  tmp=$(mktemp -d "$BIN_DIR/toxiproxy-build.XXXXXX")
  log="$tmp/build.log"
  if ! GOBIN="$tmp" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install "github.com/Shopify/toxiproxy/v2/cmd/server@$VERSION" >"$log" 2>&1 </dev/null; then
    tail -n 30 "$log" >&2
    rm -rf "$tmp"
    exit 1
  fi
  mv -f "$tmp/server" "$BIN"
  rm -rf "$tmp"
  echo "ensure-toxiproxy: built $BIN" >&2
fi
echo "$BIN"
