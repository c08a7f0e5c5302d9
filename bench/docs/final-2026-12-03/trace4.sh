#!/usr/bin/env bash
# trace4.sh OUT SECONDS BUFFER_MS HZ...: plain javax.sound lines on a private null sink, recorded; no stops
set -euo pipefail
out=$1; secs=$2; buf=$3; shift 3
here=/work/main/bench/tools
mkdir -p "$out"; dir=$(mktemp -d /tmp/lt-XXXXXX); chmod 700 $dir
export XDG_RUNTIME_DIR=$dir HOME=$dir PULSE_SERVER=unix:$dir/pulse/native
pulseaudio -n --daemonize=yes --exit-idle-time=-1 --log-target=file:"$out/pulseaudio.log" \
  -L module-native-protocol-unix -L "module-null-sink sink_name=vsink rate=48000 norewinds=1"
for _ in $(seq 100); do [[ -f $dir/pulse/pid ]] && break; sleep 0.1; done
pid=$(cat "$dir/pulse/pid"); trap 'kill "$pid" 2>/dev/null || true; sleep 0.3; rm -rf "$dir"' EXIT
sed 's/.*nice *//' /proc/self/autogroup > "/proc/$pid/autogroup" || true
chrt --rr -p 4 $pid || true
pactl set-default-sink vsink
parecord -d vsink.monitor --file-format=wav --rate=48000 --channels=1 --format=s16le "$out/rec.wav" & rec=$!
sleep 2.5
js=()
for hz in "$@"; do java "$here/LinePositionTrace.java" $hz "$secs" "$buf" "$out/p$hz.txt" & js+=($!); done
wait ${js[@]}; sleep 0.5; kill $rec; wait $rec || true
