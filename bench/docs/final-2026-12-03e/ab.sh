#!/bin/bash
# ab.sh TAG PAIRS SNAP_A SNAP_B: alternate `listen --only timed,bwv846,hoststalls` runs of two built trees
# (/work/snap-SNAP_A as A, /work/snap-SNAP_B as B), players traced, the steal logged beside each run.
# This round: ab.sh FS 5 s11 s12 (a222b1e / 4be7655), ab.sh FD 4 s12 s13 (4be7655 / the one-block wait),
# ab.sh FE 2 s13 s14 (the one-block wait / 2e2c37f).
export JAVA_TOOL_OPTIONS="-Dconcerto.log.player=TRACE"
for p in $(seq $2); do
 for v in A B; do
  snap=/work/snap-$3; [ $v = B ] && snap=/work/snap-$4
  out=/work/results/$1-$v$p
  (bash /work/diag/stealmon.sh 230 $out.steal &)
  cd $snap && /work/bin/measure java -jar bench/target/bench-0.1.0-SNAPSHOT-all.jar listen --quick --only timed,bwv846,hoststalls --repo $snap --out $out > $out.log 2>&1
  sleep 5
 done
done
