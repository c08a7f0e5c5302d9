#!/usr/bin/env bash
# Minimal reproduction of a stalling javax.sound line on a PulseAudio null sink (see LineRate.java).
# Usage: bench/tools/line-rate.sh [--rewinds] [BUFFER_MS] [SECONDS]
#   default: the bench's null sink (norewinds=1); --rewinds: PulseAudio's default null sink, which
#   stalls for about 2 s after a client's underrun on a loaded machine.
# Needs the Debian packages pulseaudio pulseaudio-utils libasound2-plugins and a JDK 17.
set -euo pipefail
sink_args="norewinds=1"
if [[ "${1:-}" == "--rewinds" ]]; then sink_args=""; shift; fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$(mktemp -d /tmp/concerto-linerate-XXXXXX)
chmod 700 "$dir"
export XDG_RUNTIME_DIR=$dir HOME=$dir PULSE_SERVER=unix:$dir/pulse/native
pulseaudio -n --daemonize=yes --exit-idle-time=-1 --log-target=file:"$dir/pulseaudio.log" \
  -L module-native-protocol-unix -L "module-null-sink sink_name=vsink rate=48000 $sink_args"
for _ in $(seq 100); do [[ -f $dir/pulse/pid ]] && break; sleep 0.1; done
pid=$(cat "$dir/pulse/pid")
trap 'kill "$pid" 2>/dev/null || true; sleep 0.3; rm -rf "$dir"' EXIT
pactl set-default-sink vsink
echo "null sink: module-null-sink sink_name=vsink rate=48000 $sink_args (daemon pid $pid); load: $(cut -d' ' -f1-3 /proc/loadavg)"
java "$here/LineRate.java" "${1:-20}" "${2:-30}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
