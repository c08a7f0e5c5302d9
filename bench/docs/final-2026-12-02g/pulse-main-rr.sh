#!/bin/bash
# part.sh SECONDS: every 0.5 s, put every pulseaudio process's main thread at SCHED_RR 4
end=$(( $(date +%s) + $1 ))
while [ $(date +%s) -lt $end ]; do
  for p in $(pgrep -x pulseaudio); do chrt -p $p | grep -q SCHED_RR || { chrt -r -p 4 $p && echo "$(date +%T) pulseaudio $p main thread RR 4"; }; done
  sleep 0.5
done
