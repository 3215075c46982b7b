#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the Swagger UI browser test (playwright-core
# drives it; no browser is downloaded by any npm package). Prints the path on success.
set -Eeuo pipefail
for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [[ -n $candidate && -x $candidate ]]; then
    echo "$candidate"
    exit 0
  fi
done
if [[ $(id -u) -ne 0 ]]; then
  echo "chromium is not installed; run: sudo apt-get update && sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "test: installing chromium (apt-get) for the browser test ..." >&2
log=$(mktemp)
if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >"$log" 2>&1 </dev/null; }; then
  DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$log" 2>&1 </dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >>"$log" 2>&1 </dev/null || {
    tail -n 20 "$log" >&2
    exit 1
  }
fi
rm -f "$log"
echo /usr/bin/chromium
