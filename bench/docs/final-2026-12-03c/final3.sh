#!/bin/bash
# final3.sh SNAP TAG N: N whole `listen --quick` suites on /work/snap-SNAP, one after another, steal logged beside each
for i in $(seq $3); do out=/work/results/$2$i
 (bash /work/diag/stealmon.sh 480 $out.steal &)
 cd /work/snap-$1 && /work/bin/measure java -jar bench/target/bench-0.1.0-SNAPSHOT-all.jar listen --quick --repo /work/snap-$1 --out $out > $out.log 2>&1
 sleep 10
done
