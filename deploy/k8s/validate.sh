#!/usr/bin/env bash
# deploy/k8s/validate.sh: renders the base and the production overlay and checks them offline.
#   1. render with `kubectl kustomize` (or `kustomize build`); the overlay gets
#      secrets.env.example as its secrets.env, in a temporary copy
#   2. check-manifests.py: every document parses; probes, resources, security contexts,
#      Services, HPAs and Secret keys as this deployment promises (needs python3-yaml)
#   3. schema validation in strict mode (unknown or mistyped fields fail) with the first tool
#      found: kubeconform with KUBECONFORM_SCHEMA_LOCATION (its -schema-location template),
#      else kubernetes-validate (`pip install kubernetes-validate`: schemas bundled, no network)
set -Eeuo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
K8S_VERSION=${K8S_VERSION:-1.33.0}
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

for f in base production; do
  printf 'validate: %s: ' "$f"
  python3 "$here/check-manifests.py" --secret-template "$here/base/secret.template.yaml" "$work/$f.yaml"
done

if command -v kubeconform >/dev/null 2>&1 && [[ ${KUBECONFORM_SCHEMA_LOCATION:-} ]]; then
  kubeconform -strict -summary -kubernetes-version "$K8S_VERSION" -schema-location "$KUBECONFORM_SCHEMA_LOCATION" "$work/base.yaml" "$work/production.yaml"
elif command -v kubernetes-validate >/dev/null 2>&1; then
  kubernetes-validate --strict --quiet -k "$K8S_VERSION" "$work/base.yaml" "$work/production.yaml"
  echo "validate: kubernetes-validate --strict (Kubernetes $K8S_VERSION): every resource passed"
else
  echo "validate: schema validation skipped: install kubernetes-validate (pip) or set KUBECONFORM_SCHEMA_LOCATION for kubeconform"
fi
