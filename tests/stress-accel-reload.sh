#!/bin/bash
# Remove and insert cxl_mock_accel, many times: the removal takes the
# accelerator's memdev and endpoint away, the insertion binds it again (it
# keeps its driver_override) in CXL mode; the Type-3 memdev is untouched.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

cycles=$(stress_cycles 25)
ktap_print_header
is_cxl_test && ktap_skip_all "no accelerator in cxl_test"
stress_begin 3
m=$(type3_memdev)

# shellcheck disable=SC2317 # called by stress_loop
cycle() {
	rmmod cxl_mock_accel || return 1
	accel_gone || return 1
	attached "$m" || return 1
	modprobe cxl_mock_accel || return 1
	accel_in_cxl_mode && attached "$m"
}
ktap_test_result "$cycles cycles of cxl_mock_accel removal/insertion" \
	stress_loop "cxl_mock_accel reload" "$cycles" cycle
stress_end
