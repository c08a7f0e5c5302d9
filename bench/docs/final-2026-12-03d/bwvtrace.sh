#!/bin/bash
# bwvtrace.sh N: N traced `listen --quick --only bwv846` runs on snap-s11 (to catch a player drifting against the others)
here=$(dirname "$(readlink -f "$0")")
export JAVA_TOOL_OPTIONS="-Dconcerto.log.player=TRACE"
for i in $(seq $1); do out=/work/results/BT$i
 (bash $here/../final-2026-12-03/stealmon.sh 120 $out.steal &)
 cd /work/snap-s11 && /work/bin/measure java -jar bench/target/bench-0.1.0-SNAPSHOT-all.jar listen --quick --only bwv846 --repo /work/snap-s11 --out $out > $out.log 2>&1
 sleep 3
done
