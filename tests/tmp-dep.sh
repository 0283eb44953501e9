#!/bin/bash
modprobe cxl_test && modprobe cxl_mock_mem && ls /sys/bus/cxl/devices | grep -c "^mem"; modinfo -n cxl_core; ls -la /lib/modules/6.19.11/modules.dep
