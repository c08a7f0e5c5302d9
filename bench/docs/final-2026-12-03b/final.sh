#!/bin/bash
# final.sh TAG N: N full listen runs on snap-J with steal logged
cd /work/snap-J
for i in $(seq $2); do
  out=/work/results/$1-listen$i
  (bash /work/diag/stealmon.sh 390 $out.steal &)
  /work/bin/quiet java -jar bench/target/bench-0.1.0-SNAPSHOT-all.jar listen --quick --repo /work/snap-J --out $out > $out.log 2>&1
  sleep 15
done
