#!/usr/bin/env bash
# npm run demo:call [-- <caller number>]: a customer calls the demo hotline from this machine with
# sipp (Debian: apt-get install sip-tester), speaking sipp's A-law audio. The default caller is the
# demo contact 王建国 (13800138000), so the agent's console pops up his company before answering.
# The call lasts until the agent's side ends it or two minutes have passed.
set -euo pipefail
cd "$(dirname "$0")"
caller="${1:-13800138000}"
number="${DEMO_NUMBER:-+864008001234}"
port="${SIP_UDP_PORT:-5060}"
if ! command -v sipp > /dev/null; then
  echo "demo:call needs sipp: apt-get install sip-tester" >&2
  exit 1
fi
if [ ! -r /usr/share/sip-tester/g711a.pcap ]; then
  echo "demo:call needs sipp's audio file /usr/share/sip-tester/g711a.pcap (Debian's sip-tester package)" >&2
  exit 1
fi
echo "calling ${number} from ${caller} at 127.0.0.1:${port} (the call ends when the agent's side hangs up, or after two minutes)"
exec sipp "127.0.0.1:${port}" -sf sipp/demo-call.xml -s "$number" -key caller "$caller" -m 1 -i 127.0.0.1 -mi 127.0.0.1 -nostdin
