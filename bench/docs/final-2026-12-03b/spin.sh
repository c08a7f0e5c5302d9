#!/bin/bash
# spin.sh CMD...: runs CMD with one SCHED_IDLE busy loop per CPU beside it (the vCPUs never halt)
pids=()
for i in $(seq $(nproc)); do chrt --idle 0 bash -c 'while :; do :; done' & pids+=($!); done
"$@"; rc=$?
kill ${pids[@]}; exit $rc
