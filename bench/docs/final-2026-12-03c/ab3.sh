#!/bin/bash
# ab3.sh TAG PAIRS: alternate listen --only timed,bwv846 runs: A = snap-M (recorder at the default latency), B = snap-L1 (parecord --latency-msec=10)
for p in $(seq $2); do
 for v in A B; do
  snap=/work/snap-M; [ $v = B ] && snap=/work/snap-L1
  out=/work/results/$1-$v$p
  (bash /work/diag/stealmon.sh 200 $out.steal &)
  cd $snap && /work/bin/measure java -jar bench/target/bench-0.1.0-SNAPSHOT-all.jar listen --quick --only timed,bwv846 --repo $snap --out $out > $out.log 2>&1
  sleep 5
 done
done
