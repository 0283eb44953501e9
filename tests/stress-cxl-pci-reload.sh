#!/bin/bash
# Remove and insert cxl_pci, many times, with the accelerator bound next to
# it: the removal unregisters the Type-3 memdevs, the insertion returns with
# them attached again, and the accelerator stays in CXL mode throughout.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

cycles=$(stress_cycles 25)
ktap_print_header
is_cxl_test && ktap_skip_all "no cxl_pci devices in cxl_test"
stress_begin 3
memdev_count
n=$MEMDEVS

# shellcheck disable=SC2317 # called by stress_loop
cycle() {
	rmmod cxl_pci || return 1
	memdevs_are 1 || return 1
	accel_in_cxl_mode || return 1
	modprobe cxl_pci || return 1
	memdevs_are "$n" || return 1
	all_attached_now && accel_in_cxl_mode
}
ktap_test_result "$cycles cycles of cxl_pci removal/insertion" stress_loop "cxl_pci reload" "$cycles" cycle
stress_end
