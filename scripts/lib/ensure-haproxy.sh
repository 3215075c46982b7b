#!/usr/bin/env bash
# Installs HAProxy (the load balancer the fault suite puts in front of two replicas of each
# service) from Debian's packages when it is missing, and prints the binary's path. Needs root
# (or sudo) the first time; later runs only print the path. The package's own service is never
# started: the suite runs HAProxy itself, on ports of its own.
set -Eeuo pipefail

bin=$(command -v haproxy || true)
if [[ -z $bin ]]; then
  command -v apt-get >/dev/null 2>&1 || {
    echo "ensure-haproxy: HAProxy is missing and apt-get is not available: install HAProxy 2.x" >&2
    exit 1
  }
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "ensure-haproxy: installing haproxy from Debian's packages (once) ..." >&2
  # The package would start its own haproxy.service where an init system runs; policy-rc.d
  # keeps it from starting, nothing of it is wanted.
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod +x "$policy"
    trap '"${sudo[@]}" rm -f "$policy"' EXIT
  fi
  # One install at a time: apt-get takes its own lock and fails instead of waiting.
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends haproxy >/dev/null </dev/null ||
    {
      "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update >/dev/null &&
        "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends haproxy >/dev/null </dev/null
    }
  bin=$(command -v haproxy)
  echo "ensure-haproxy: installed $("$bin" -v | head -n 1)" >&2
fi
echo "$bin"
