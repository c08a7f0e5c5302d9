#!/bin/bash
# ab2.sh TAG PAIRS: alternate listen --only timed,bwv846 runs with the CPUs left to idle (A) and kept busy (B)
cd /work/snap-K
for p in $(seq $2); do
 for v in A B; do
  out=/work/results/$1-$v$p
  extra=""; [ $v = A ] && extra="--no-keep-cpus-busy"
  (bash /work/diag/stealmon.sh 200 $out.steal &)
  /work/bin/measure java -jar bench/target/bench-0.1.0-SNAPSHOT-all.jar listen --quick $extra --only timed,bwv846 --repo /work/snap-K --out $out > $out.log 2>&1
  sleep 5
 done
done
