#!/usr/bin/env bash
# Two plain javax.sound lines (LinePositionTrace.java, 500 and 900 Hz) on the bench's null sink, the
# monitor recorded; 6 s in, the first line's JVM is stopped 60 ms (SIGSTOP), 3 s later the sound
# server 60 ms, 3 s later both JVMs 40 ms. Writes OUT/p500.txt, OUT/p900.txt (nanoTime, position,
# written per write), OUT/rec.wav and OUT/events.txt (epoch seconds of each stop).
# Usage: bench/tools/line-position-trace.sh OUT [SECONDS] [BUFFER_MS] [--no-underrun-handling]
#   --no-underrun-handling: the ALSA pulse plugin with handle_underrun false (no xrun, no stream rebuilt).
# Needs the Debian packages pulseaudio pulseaudio-utils libasound2-plugins and a JDK 17.
set -euo pipefail
out=$1; secs=${2:-17}; buf=${3:-20}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$out"
dir=$(mktemp -d /tmp/concerto-linetrace-XXXXXX)
chmod 700 "$dir"
export XDG_RUNTIME_DIR=$dir HOME=$dir PULSE_SERVER=unix:$dir/pulse/native
if [[ "${4:-}" == "--no-underrun-handling" ]]; then
  printf 'pcm.!default {\n type pulse\n handle_underrun false\n}\nctl.!default {\n type pulse\n}\n' > "$dir/.asoundrc"
fi
pulseaudio -n --daemonize=yes --exit-idle-time=-1 --log-target=file:"$out/pulseaudio.log" \
  -L module-native-protocol-unix -L "module-null-sink sink_name=vsink rate=48000 norewinds=1"
for _ in $(seq 100); do [[ -f $dir/pulse/pid ]] && break; sleep 0.1; done
pid=$(cat "$dir/pulse/pid")
trap 'kill "$pid" 2>/dev/null || true; sleep 0.3; rm -rf "$dir"' EXIT
# the daemon at the caller's autogroup nice, as the bench does (PulseAudioSink)
sed 's/.*nice *//' /proc/self/autogroup > "/proc/$pid/autogroup" || true
pactl set-default-sink vsink
parecord -d vsink.monitor --file-format=wav --rate=48000 --channels=1 --format=s16le "$out/rec.wav" &
rec=$!
sleep 2.5
java "$here/LinePositionTrace.java" 500 "$secs" "$buf" "$out/p500.txt" & j1=$!
java "$here/LinePositionTrace.java" 900 "$secs" "$buf" "$out/p900.txt" & j2=$!
sleep 6; echo "$(date +%s.%N) stop p500 60ms" >> "$out/events.txt"; kill -STOP $j1; sleep 0.06; kill -CONT $j1
sleep 3; echo "$(date +%s.%N) stop pulse 60ms" >> "$out/events.txt"; kill -STOP "$pid"; sleep 0.06; kill -CONT "$pid"
sleep 3; echo "$(date +%s.%N) stop both 40ms" >> "$out/events.txt"; kill -STOP $j1 $j2; sleep 0.04; kill -CONT $j1 $j2
wait $j1 $j2
sleep 0.5
kill $rec; wait $rec || true
echo "written to $out"
