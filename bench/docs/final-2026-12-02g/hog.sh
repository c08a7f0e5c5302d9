#!/bin/bash
# hog.sh SECONDS: two busy threads at nice 19 in an autogroup of nice 19, as a background build would be
echo 19 > /proc/self/autogroup
end=$(( $(date +%s) + $1 ))
for i in 1 2; do ( while [ $(date +%s) -lt $end ]; do :; done ) & done
wait
