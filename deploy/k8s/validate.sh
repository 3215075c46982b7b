#!/usr/bin/env bash
# deploy/k8s/validate.sh: renders the base and the production overlay and checks them offline.
#   1. render with `kubectl kustomize` (or `kustomize build`); the overlay gets
#      secrets.env.example as its secrets.env, in a temporary copy
#   2. check-manifests.py: every document parses; probes, resources, security contexts,
#      Services, HPAs and Secret keys as this deployment promises (needs python3-yaml); one
#      image name per service (SHOP_IMAGES): the base runs exactly those, the overlay retags
#      every one of them, and docker-compose.yml (when beside deploy/, as in the repository)
#      builds the same names
#   3. schema validation in strict mode (unknown or mistyped fields fail) with the first tool
#      found: kubeconform with KUBECONFORM_SCHEMA_LOCATION (its -schema-location template),
#      else kubernetes-validate (`pip install kubernetes-validate`: schemas bundled, no network)
set -Eeuo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
K8S_VERSION=${K8S_VERSION:-1.33.0}
# The image of each service, as the root Dockerfile builds it and docker-compose.yml tags it.
SHOP_IMAGES=${SHOP_IMAGES:-shop/user-service,shop/product-service,shop/order-service,shop/notification-service}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if command -v kubectl >/dev/null 2>&1; then render() { kubectl kustomize "$1"; }
elif command -v kustomize >/dev/null 2>&1; then render() { kustomize build "$1"; }
else echo "validate: neither kubectl nor kustomize is installed" >&2; exit 1; fi

cp -R "$here/." "$work/k8s"
cp "$work/k8s/overlays/production/secrets.env.example" "$work/k8s/overlays/production/secrets.env"
render "$work/k8s/base" >"$work/base.yaml"
render "$work/k8s/overlays/production" >"$work/production.yaml"
echo "validate: rendered base ($(grep -c '^kind:' "$work/base.yaml") resources) and overlays/production ($(grep -c '^kind:' "$work/production.yaml") resources)"

printf 'validate: base: '
python3 "$here/check-manifests.py" --secret-template "$here/base/secret.template.yaml" --images "$SHOP_IMAGES" "$work/base.yaml"
printf 'validate: production: '
python3 "$here/check-manifests.py" --secret-template "$here/base/secret.template.yaml" --retagged "$SHOP_IMAGES" \
  --overlay "$here/overlays/production/kustomization.yaml" "$work/production.yaml"

# docker-compose.yml builds and tags the same image names (any tag), each from its own SERVICE.
compose="$here/../../docker-compose.yml"
if [[ -f $compose ]]; then
  python3 - "$compose" "$SHOP_IMAGES" <<'PY'
import sys, yaml
compose, want = sys.argv[1], set(sys.argv[2].split(","))
services = (yaml.safe_load(open(compose, encoding="utf-8")) or {}).get("services") or {}
problems, built = [], {}
for name, svc in services.items():
    image = (svc.get("image") or "").split(":")[0]
    if not image.startswith("shop/"):
        continue
    built[image] = name
    arg = ((svc.get("build") or {}).get("args") or {}).get("SERVICE")
    if image != f"shop/{arg}":
        problems.append(f"compose service {name} tags {image} but builds SERVICE={arg}")
if set(built) != want:
    problems.append(f"docker-compose.yml tags the images {','.join(sorted(built))}, the manifests run {','.join(sorted(want))}")
for p in problems:
    print(f"validate: {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
  echo "validate: docker-compose.yml builds the same four image names"
fi

if command -v kubeconform >/dev/null 2>&1 && [[ ${KUBECONFORM_SCHEMA_LOCATION:-} ]]; then
  kubeconform -strict -summary -kubernetes-version "$K8S_VERSION" -schema-location "$KUBECONFORM_SCHEMA_LOCATION" "$work/base.yaml" "$work/production.yaml"
elif command -v kubernetes-validate >/dev/null 2>&1; then
  kubernetes-validate --strict --quiet -k "$K8S_VERSION" "$work/base.yaml" "$work/production.yaml"
  echo "validate: kubernetes-validate --strict (Kubernetes $K8S_VERSION): every resource passed"
else
  echo "validate: schema validation skipped: install kubernetes-validate (pip) or set KUBECONFORM_SCHEMA_LOCATION for kubeconform"
fi
