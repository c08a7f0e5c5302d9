#!/bin/bash
# ab7.sh TAG PAIRS: alternate listen --only timed,bwv846,hoststalls runs, players traced:
# A = snap-s13 (a dry line waits up to one block for its position to move), B = snap-s14 (up to the line buffer)
export JAVA_TOOL_OPTIONS="-Dconcerto.log.player=TRACE"
for p in $(seq $2); do
 for v in A B; do
  snap=/work/snap-s13; [ $v = B ] && snap=/work/snap-s14
  out=/work/results/$1-$v$p
  (bash /work/diag/stealmon.sh 230 $out.steal &)
  cd $snap && /work/bin/measure java -jar bench/target/bench-0.1.0-SNAPSHOT-all.jar listen --quick --only timed,bwv846,hoststalls --repo $snap --out $out > $out.log 2>&1
  sleep 5
 done
done
