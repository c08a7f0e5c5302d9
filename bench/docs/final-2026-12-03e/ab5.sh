#!/bin/bash
# ab5.sh TAG PAIRS: alternate listen --only timed,bwv846,hoststalls runs, players traced:
# A = snap-s11 (a222b1e: large stalls confirmed by 8 errors), B = snap-s12 (fast: 2 errors once the line moves)
export JAVA_TOOL_OPTIONS="-Dconcerto.log.player=TRACE"
for p in $(seq $2); do
 for v in A B; do
  snap=/work/snap-s11; [ $v = B ] && snap=/work/snap-s12
  out=/work/results/$1-$v$p
  (bash /work/diag/stealmon.sh 230 $out.steal &)
  cd $snap && /work/bin/measure java -jar bench/target/bench-0.1.0-SNAPSHOT-all.jar listen --quick --only timed,bwv846,hoststalls --repo $snap --out $out > $out.log 2>&1
  sleep 5
 done
done
