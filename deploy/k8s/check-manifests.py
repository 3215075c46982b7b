#!/usr/bin/env python3
"""Checks rendered shop manifests (kustomize output on stdin or in files) for what a schema
validator cannot know: the rules this deployment promises.

    kubectl kustomize deploy/k8s/base | python3 deploy/k8s/check-manifests.py [--secret-template FILE]

Every document must parse and carry apiVersion, kind and metadata.name; then
  - each Deployment: liveness on /health, readiness on /health/ready, a startup probe,
    CPU and memory requests and limits, non-root pod and container security contexts,
    a read-only root filesystem, terminationGracePeriodSeconds, and every secretKeyRef key
    listed in the Secret template;
  - each Service selects the pods of a Deployment and targets a port the pods declare;
  - each HTTP Deployment (one with a Service) has a HorizontalPodAutoscaler aimed at it;
  - every ConfigMap a Deployment reads exists;
  - with --images NAME,...: one image name per service. Every container runs one of these
    images (by name: any tag or digest), and each of them is run by some Deployment;
  - with --retagged NAME,...: (a rendered overlay) no container still runs one of these names
    as it is: the overlay's `images:` gave every one a registry name and a tag or digest;
  - with --overlay FILE: the overlay's kustomization retags exactly the --images names (a
    misspelt or missing entry there would leave an image unreplaced without any error).
Exits 1 with one line per problem. Needs PyYAML (apt-get install python3-yaml).
"""
import argparse
import sys

import yaml

REQUIRED_KINDS = {"Namespace", "ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler"}
KNOWN_KINDS = REQUIRED_KINDS | {"Secret", "PodDisruptionBudget"}


def load(paths):
    docs = []
    sources = [(p, open(p, encoding="utf-8").read()) for p in paths] if paths else [("<stdin>", sys.stdin.read())]
    for name, text in sources:
        for doc in yaml.safe_load_all(text):
            if doc is not None:
                docs.append((name, doc))
    return docs


def probe_path(container, probe):
    return ((container.get(probe) or {}).get("httpGet") or {}).get("path")


def image_name(image):
    """`registry/shop/x:1.0@sha256:...` -> `registry/shop/x` (the tag's colon, not a port's)."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":", 1)[0]
    return name


def has_tag_or_digest(image):
    return "@" in image or ":" in image.rsplit("/", 1)[-1]


def check_images(deployments, images, retagged):
    problems = []
    used = set()
    for name, dep in deployments.items():
        pod = ((dep.get("spec") or {}).get("template") or {}).get("spec") or {}
        for c in (pod.get("containers") or []) + (pod.get("initContainers") or []):
            cw = f"Deployment/{name} container {c.get('name')}"
            image = c.get("image") or ""
            if not image:
                problems.append(f"{cw}: no image")
                continue
            used.add(image_name(image))
            if images is not None and image_name(image) not in images:
                problems.append(f"{cw}: image {image} is none of the services' images ({', '.join(sorted(images))})")
            if retagged is not None:
                if image_name(image) in retagged:
                    problems.append(f"{cw}: image {image} was not replaced by the overlay (add it to its images:)")
                elif not has_tag_or_digest(image):
                    problems.append(f"{cw}: image {image} has no tag or digest")
    for missing in sorted((images or set()) - used):
        problems.append(f"image {missing}: no Deployment runs it")
    return problems


def check_overlay(path, images):
    with open(path, encoding="utf-8") as f:
        kustomization = yaml.safe_load(f) or {}
    names = [e.get("name") for e in kustomization.get("images") or []]
    problems = [f"{path}: images: retags {n}, which is none of the services' images" for n in names if n not in images]
    problems += [f"{path}: images: does not retag {n}" for n in sorted(images - set(names))]
    return problems


def check(docs, secret_keys):
    problems = []
    by_kind = {}
    for source, doc in docs:
        kind, name = doc.get("kind"), (doc.get("metadata") or {}).get("name")
        where = f"{source}: {kind or '?'}/{name or '?'}"
        if not doc.get("apiVersion") or not kind or not name:
            problems.append(f"{where}: apiVersion, kind and metadata.name are required")
            continue
        if kind not in KNOWN_KINDS:
            problems.append(f"{where}: unexpected kind {kind}")
        by_kind.setdefault(kind, {})[name] = doc
    for kind in sorted(REQUIRED_KINDS - by_kind.keys()):
        problems.append(f"no {kind} at all")

    deployments = by_kind.get("Deployment", {})
    configmaps = by_kind.get("ConfigMap", {})
    for name, dep in deployments.items():
        where = f"Deployment/{name}"
        spec = dep.get("spec") or {}
        pod = (spec.get("template") or {}).get("spec") or {}
        labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        selector = (spec.get("selector") or {}).get("matchLabels") or {}
        if not selector or any(labels.get(k) != v for k, v in selector.items()):
            problems.append(f"{where}: spec.selector.matchLabels must match the pod template's labels")
        if not isinstance(pod.get("terminationGracePeriodSeconds"), int):
            problems.append(f"{where}: terminationGracePeriodSeconds is not set")
        pod_sc = pod.get("securityContext") or {}
        if pod_sc.get("runAsNonRoot") is not True:
            problems.append(f"{where}: the pod securityContext must set runAsNonRoot: true")
        containers = pod.get("containers") or []
        if not containers:
            problems.append(f"{where}: no containers")
        for c in containers:
            cw = f"{where} container {c.get('name')}"
            if probe_path(c, "livenessProbe") != "/health":
                problems.append(f"{cw}: livenessProbe must GET /health")
            if probe_path(c, "readinessProbe") != "/health/ready":
                problems.append(f"{cw}: readinessProbe must GET /health/ready")
            if not probe_path(c, "startupProbe"):
                problems.append(f"{cw}: no startupProbe")
            res = c.get("resources") or {}
            for part in ("requests", "limits"):
                for what in ("cpu", "memory"):
                    if not (res.get(part) or {}).get(what):
                        problems.append(f"{cw}: resources.{part}.{what} is not set")
            sc = c.get("securityContext") or {}
            if sc.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{cw}: allowPrivilegeEscalation must be false")
            if sc.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{cw}: readOnlyRootFilesystem must be true")
            if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
                problems.append(f"{cw}: capabilities must drop ALL")
            for env in c.get("env") or []:
                ref = (env.get("valueFrom") or {}).get("secretKeyRef")
                if ref and secret_keys is not None and ref.get("key") not in secret_keys:
                    problems.append(f"{cw}: env {env.get('name')} reads secret key {ref.get('key')}, missing from the Secret template")
            for src in c.get("envFrom") or []:
                cm = (src.get("configMapRef") or {}).get("name")
                if cm and cm not in configmaps:
                    problems.append(f"{cw}: reads ConfigMap {cm}, which is not defined")

    http_deployments = set()
    for name, svc in by_kind.get("Service", {}).items():
        selector = (svc.get("spec") or {}).get("selector") or {}
        targets = [
            d for d in deployments.values()
            if selector and all((((d["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {}).get(k) == v for k, v in selector.items())
        ]
        if not targets:
            problems.append(f"Service/{name}: its selector matches no Deployment")
            continue
        for dep in targets:
            http_deployments.add(dep["metadata"]["name"])
            port_names = {p.get("name") for c in dep["spec"]["template"]["spec"]["containers"] for p in c.get("ports") or []}
            port_numbers = {p.get("containerPort") for c in dep["spec"]["template"]["spec"]["containers"] for p in c.get("ports") or []}
            for p in (svc.get("spec") or {}).get("ports") or []:
                t = p.get("targetPort", p.get("port"))
                if t not in port_names and t not in port_numbers:
                    problems.append(f"Service/{name}: targetPort {t} is not a port of Deployment/{dep['metadata']['name']}")

    scaled = {}
    for name, hpa in by_kind.get("HorizontalPodAutoscaler", {}).items():
        ref = (hpa.get("spec") or {}).get("scaleTargetRef") or {}
        if ref.get("kind") != "Deployment" or ref.get("name") not in deployments:
            problems.append(f"HorizontalPodAutoscaler/{name}: scaleTargetRef names no Deployment of these manifests")
        scaled[ref.get("name")] = name
    for name in sorted(http_deployments - scaled.keys()):
        problems.append(f"Deployment/{name}: serves HTTP but has no HorizontalPodAutoscaler")
    return problems, by_kind


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", help="rendered manifests (default: stdin)")
    parser.add_argument("--secret-template", help="the Secret template whose keys the Deployments may read")
    parser.add_argument("--images", help="comma-separated: the one image name of each service")
    parser.add_argument("--retagged", help="comma-separated: image names an overlay must have replaced")
    parser.add_argument("--overlay", help="an overlay's kustomization.yaml, whose images: must retag exactly --images")
    args = parser.parse_args()
    as_set = lambda v: None if v is None else {n.strip() for n in v.split(",") if n.strip()}
    images, retagged = as_set(args.images), as_set(args.retagged)
    secret_keys = None
    if args.secret_template:
        with open(args.secret_template, encoding="utf-8") as f:
            secret = yaml.safe_load(f)
        secret_keys = set((secret.get("stringData") or {}).keys()) | set((secret.get("data") or {}).keys())
    try:
        problems, by_kind = check(load(args.files), secret_keys)
        problems += check_images(by_kind.get("Deployment", {}), images, retagged)
        if args.overlay:
            problems += check_overlay(args.overlay, images or retagged or set())
    except yaml.YAMLError as err:
        print(f"check-manifests: not valid YAML: {err}", file=sys.stderr)
        return 1
    if problems:
        for p in problems:
            print(f"check-manifests: {p}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{len(v)} {k}" for k, v in sorted(by_kind.items()))
    print(f"check-manifests: ok ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
