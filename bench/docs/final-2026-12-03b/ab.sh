#!/bin/bash
# ab.sh TAG PAIRS ONLY: alternate runs without (A) and with (B) idle spinners
cd /work/snap-J
for p in $(seq $2); do
 for v in A B; do
  out=/work/results/$1-$v$p
  (bash /work/diag/stealmon.sh 200 $out.steal &)
  if [ $v = A ]; then /work/bin/measure java -jar bench/target/bench-0.1.0-SNAPSHOT-all.jar listen --quick --only $3 --repo /work/snap-J --out $out > $out.log 2>&1
  else /work/bin/measure /work/diag/spin.sh java -jar bench/target/bench-0.1.0-SNAPSHOT-all.jar listen --quick --only $3 --repo /work/snap-J --out $out > $out.log 2>&1; fi
  sleep 5
 done
done
