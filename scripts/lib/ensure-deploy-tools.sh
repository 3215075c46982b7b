#!/usr/bin/env bash
# What deploy/k8s/validate.sh needs, so its tests run everywhere rather than skip: a manifest
# renderer (the machine's kubectl or kustomize, else kustomize built once from the Go module proxy
# into the cache) and PyYAML (pip, when missing). Prints a folder to put first on PATH (empty
# when the machine's own renderer is used). Progress goes to stderr.
#   SHOP_CACHE_DIR  cache folder (default ~/.cache/shop-microservices); kustomize goes to bin/kustomize-<version>/
set -Eeuo pipefail
VERSION=v5.7.1
CACHE_DIR=${SHOP_CACHE_DIR:-${HOME:-/root}/.cache/shop-microservices}
DIR="$CACHE_DIR/bin/kustomize-${VERSION#v}"

if ! python3 -c 'import yaml' 2>/dev/null; then
  echo "ensure-deploy-tools: installing PyYAML (pip) ..." >&2
  python3 -m pip install --quiet pyyaml >&2
fi
if command -v kubectl >/dev/null 2>&1 || command -v kustomize >/dev/null 2>&1; then
  echo ""
  exit 0
fi
if [[ ! -x $DIR/kustomize ]]; then
  command -v go >/dev/null 2>&1 || {
    echo "ensure-deploy-tools: neither kubectl nor kustomize is installed, and Go is needed to build kustomize" >&2
    exit 1
  }
  mkdir -p "$DIR"
  exec 9>>"$CACHE_DIR/kustomize.lock"
  flock -w 900 9
  if [[ ! -x $DIR/kustomize ]]; then
    echo "ensure-deploy-tools: building sigs.k8s.io/kustomize/kustomize/v5@$VERSION (once) ..." >&2
    GOBIN="$DIR" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install "sigs.k8s.io/kustomize/kustomize/v5@$VERSION" >&2 </dev/null
  fi
fi
echo "$DIR"
