#!/bin/bash
# stealmon.sh SECONDS OUT: per-second user/sys/idle/steal jiffies (2 CPUs: 200 per second)
prev=($(head -1 /proc/stat))
for ((i=0;i<$1;i++)); do sleep 1; cur=($(head -1 /proc/stat));
 echo "$(date +%T) user=$(( ${cur[1]}-${prev[1]} )) sys=$(( ${cur[3]}-${prev[3]} )) idle=$(( ${cur[4]}-${prev[4]} )) steal=$(( ${cur[8]}-${prev[8]} ))"; prev=(${cur[@]}); done > $2
