#!/bin/bash
# frz.sh TAG SNAP...: `listen --quick --only timed` on each snapshot in turn, with freeze.py stopping every process of the run 60 ms each 1.3 s
tag=$1; shift
for v in "$@"; do out=/work/results/FR-$v-$tag
 (cd /work/snap-$v && (python3 /work/diag/freeze.py 100 1.3 60 $out.freeze &) ; (bash /work/diag/stealmon.sh 100 $out.steal &); /work/bin/measure java -jar bench/target/bench-0.1.0-SNAPSHOT-all.jar listen --quick --only timed --repo /work/snap-$v --out $out > $out.log 2>&1); sleep 25
done
