#!/usr/bin/env bash
# Installs what the benchmarks run beyond the test services: everything scripts/test-services.sh
# brings (PostgreSQL, sipp, rtpengine, ...) and Kamailio, the baseline of `npm run bench:sip`.
# Debian/Ubuntu; installs what is missing with apt-get (root, or sudo).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/test-services.sh"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v kamailio >/dev/null 2>&1; then
  printf 'bench-services: installing kamailio\n'
  as_root apt-get update -qq
  # the packaged service is not started: the benchmark runs its own Kamailio on a free port
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends kamailio
fi
printf 'bench-services: %s\n' "$(kamailio -v 2>/dev/null | head -n 1)"
