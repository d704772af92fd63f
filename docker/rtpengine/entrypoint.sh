#!/bin/sh
# Starts rtpengine in userspace (table=-1: no kernel module), recording with pcap (the recording
# daemon needs the kernel module), on the container's address or RTP_ADDRESS, advertising
# SIP_PUBLIC_ADDRESS behind NAT. delete-delay=0: it crashed on SIGTERM with calls pending deletion.
set -eu
address="${RTP_ADDRESS:-$(ip -4 -o addr show scope global | awk '{ split($4, a, "/"); print a[1]; exit }')}"
interface="${address}${SIP_PUBLIC_ADDRESS:+!$SIP_PUBLIC_ADDRESS}"
# the app (another user) reads and removes the pcaps in the shared volume
umask 000
mkdir -p /recordings
exec rtpengine --foreground --log-stderr --table=-1 \
  --interface="$interface" \
  --listen-ng=127.0.0.1:2223 \
  --port-min="${RTP_PORT_MIN:-30000}" --port-max="${RTP_PORT_MAX:-30199}" \
  --recording-dir=/recordings --recording-method=pcap \
  --dtmf-log-dest=127.0.0.1:9399 \
  --timeout=60 --delete-delay=0
