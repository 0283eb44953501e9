#!/bin/bash
set -x
modprobe cxl_acpi; modprobe cxl_pci; modprobe cxl_mem; sleep 2
cxl list -BEMPDu
ls -l /sys/bus/cxl/devices
for m in /sys/bus/cxl/devices/mem*; do echo "$m -> $(readlink $m/driver)"; done
for e in /sys/bus/cxl/devices/endpoint*; do echo "$e -> $(readlink $e/driver) uport=$(readlink $e/uport)"; done
lspci -tv 2>/dev/null || true
cat /proc/cmdline
