#!/bin/bash
# abstat.sh RESULTS TAG: per arm (A, B) of an ab4 run: goal runs met, line corrections' size against what the line lost, take-backs
here=$(dirname "$(readlink -f "$0")"); summ=$here/../final-2026-12-03/summ.py
cd "$1"; shift
for v in A B; do
  ds=$(ls -d $1-$v? 2>/dev/null | while read d; do [ -f $d/report.md ] && echo $d; done)
  echo "== arm $v: $(echo $ds)"
  python3 $summ $ds | grep -o "\(timed\|bwv846\) [0-9]:[A-Za-z]*" | awk -F: '{n++; if ($2=="OK") ok++} END {print "goal runs met", ok, "of", n}'
  python3 $summ $ds | grep -o "hoststalls:([^)]*)" | tr '\n' ' '; echo
  python3 $here/corrsize.py $(for d in $ds; do echo $d/listen/*/; done) | grep -E "^(made|floor8) "
  python3 $here/takeback.py $(for d in $ds; do echo $d/listen/*/; done) | awk '{c+=$3; t+=$5} END {print "corrections", c, "take-backs within 400 ms", t}'
done
