#!/usr/bin/env bash
# Makes sure the services the integration tests use are installed and running:
# PostgreSQL on 127.0.0.1:5432 (user postgres, trusted for local TCP connections) and Redis on
# 127.0.0.1:6379. Debian/Ubuntu; installs what is missing with apt-get (root, or sudo).
set -euo pipefail

PG_URL="postgres://postgres@127.0.0.1:5432/postgres"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
say() { printf 'test-services: %s\n' "$*"; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  say "installing $*"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@"
}
wait_for() {
  local what="$1" tries="$2"; shift 2
  for _ in $(seq 1 "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "test-services: $what did not come up in ${tries}s" >&2
  return 1
}

# PostgreSQL
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  ls /etc/postgresql/*/main >/dev/null 2>&1 || apt_install postgresql
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  say "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for PostgreSQL 60 pg_isready -h 127.0.0.1 -p 5432
fi
if ! psql "$PG_URL" -Atc 'select 1' >/dev/null 2>&1; then
  say "trusting local TCP connections for the test user"
  hba="$(as_root su postgres -c "psql -Atc 'show hba_file'")"
  as_root sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
  as_root su postgres -c "psql -Atc 'select pg_reload_conf()'" >/dev/null
fi
say "$(psql "$PG_URL" -Atc 'show server_version') on 127.0.0.1:5432"

# Redis
if ! redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  say "starting Redis"
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no
  wait_for Redis 30 sh -c 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG'
fi
say "redis $(redis-cli -h 127.0.0.1 -p 6379 info server | sed -n 's/^redis_version:\(.*\)\r$/\1/p') on 127.0.0.1:6379"

# sipp (Debian's sip-tester), the SIP peer of the telephony interop tests (telephony/src/sip/interop/)
if ! command -v sipp >/dev/null 2>&1; then apt_install sip-tester; fi
say "$(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ]*' | head -n 1)"

# sox with MP3 support, which converts a tenant's uploaded prompts and music (WAV or MP3) into the
# phone's 8 kHz WAV; the tests make their recordings with it too
if ! command -v sox >/dev/null 2>&1; then apt_install sox; fi
if ! sox -h 2>/dev/null | grep -q 'AUDIO FILE FORMATS:.* mp3'; then apt_install libsox-fmt-mp3; fi
say "$(sox --version 2>/dev/null | head -n 1), MP3: yes"

# espeak-ng, which speaks a navigation rule's message for the phone (the tests hear it)
if ! command -v espeak-ng >/dev/null 2>&1; then apt_install espeak-ng; fi
say "$(espeak-ng --version 2>/dev/null | head -n 1)"

# Chromium (Debian's), for the end-to-end tests of the wallboard page (Playwright drives it), and
# a Chinese font so that its screenshots show Chinese text
if ! command -v chromium >/dev/null 2>&1; then apt_install chromium; fi
if ! fc-list 2>/dev/null | grep -qiE 'wqy|noto sans cjk|noto serif cjk'; then apt_install fonts-wqy-microhei; fi
say "$(chromium --version 2>/dev/null | head -n 1)"

# rtpengine (Debian rtpengine-daemon, userspace), for the phone's media tests; the tests start
# their own instances on free ports, so the packaged service is not needed (or started)
if ! command -v rtpengine >/dev/null 2>&1; then apt_install rtpengine-daemon; fi
say "$(rtpengine --version 2>&1 | head -n 1)"
