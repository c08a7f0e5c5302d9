#!/bin/bash
# ab4.sh TAG PAIRS: alternate listen --only timed,bwv846,hoststalls runs, players traced:
# A = snap-base (8bf32f0: correction = median of the newest half), B = snap-floor8 (a222b1e: floor of the confirming errors)
here=$(dirname "$(readlink -f "$0")")
export JAVA_TOOL_OPTIONS="-Dconcerto.log.player=TRACE"
for p in $(seq $2); do
 for v in A B; do
  snap=/work/snap-base; [ $v = B ] && snap=/work/snap-floor8
  out=/work/results/$1-$v$p
  (bash $here/../final-2026-12-03/stealmon.sh 230 $out.steal &)
  cd $snap && /work/bin/measure java -jar bench/target/bench-0.1.0-SNAPSHOT-all.jar listen --quick --only timed,bwv846,hoststalls --repo $snap --out $out > $out.log 2>&1
  sleep 5
 done
done
