#!/bin/bash
set -x
time modprobe cxl_test; time modprobe cxl_mock_mem; sleep 2
ls /sys/bus/cxl/devices
n=0; b=0
for m in /sys/bus/cxl/devices/mem*; do n=$((n+1)); [ "$(basename "$(readlink $m/driver)")" = cxl_mem ] && b=$((b+1)); done
echo "memdevs=$n bound=$b endpoints=$(ls -d /sys/bus/cxl/devices/endpoint* | wc -l)"
cxl list -M | grep -c '"memdev"'
cat /sys/devices/system/node/online
ls /dev/fd/ >/dev/null && readarray -t x < <(echo a; echo b) && echo "procsubst ok ${#x[@]}"
