#!/bin/bash
# final2.sh: listen runs on snap-K, keeper on (K) and off (N), steal logged
cd /work/snap-K
for t in K1 N1 K2 K3; do
  out=/work/results/$t-listen
  extra=""; [[ $t == N* ]] && extra="--no-keep-cpus-busy"
  (bash /work/diag/stealmon.sh 390 $out.steal &)
  /work/bin/quiet java -jar bench/target/bench-0.1.0-SNAPSHOT-all.jar listen --quick $extra --repo /work/snap-K --out $out > $out.log 2>&1
  sleep 10
done
