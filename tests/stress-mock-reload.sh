#!/bin/bash
# cxl_test: remove and insert cxl_mock_mem, the driver of the mock memory
# devices, many times: the removal unregisters every mock memdev, the
# insertion returns with all of them attached.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

cycles=$(stress_cycles 25 5)
ktap_print_header
is_cxl_test || ktap_skip_all "needs cxl_test"
stress_begin 3
memdev_count
n=$MEMDEVS

# shellcheck disable=SC2317 # called by stress_loop
cycle() {
	rmmod cxl_mock_mem || return 1
	memdevs_are 0 || return 1
	modprobe cxl_mock_mem || return 1
	memdevs_are "$n" || return 1
	all_attached_now
}
ktap_test_result "$cycles cycles of cxl_mock_mem removal/insertion" \
	stress_loop "cxl_mock_mem reload" "$cycles" cycle
stress_end
