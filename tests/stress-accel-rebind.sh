#!/bin/bash
# Unbind and bind cxl_mock_accel on its PCI function, many times: each bind
# gives CXL mode with an attached memdev, each unbind takes the memdev and
# its endpoint away, and the Type-3 memdev next to it is untouched.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

cycles=$(stress_cycles 100)
ktap_print_header
is_cxl_test && ktap_skip_all "no accelerator in cxl_test"
stress_begin 3
memdev_count
n=$MEMDEVS

# shellcheck disable=SC2317 # called by stress_loop
cycle() {
	echo "$ACCEL" >"$ACCEL_DRV/unbind" || return 1
	accel_gone || return 1
	memdevs_are $((n - 1)) || return 1
	echo "$ACCEL" >"$ACCEL_DRV/bind" || return 1
	accel_in_cxl_mode
}
ktap_test_result "$cycles cycles of cxl_mock_accel unbind/bind on $ACCEL" \
	stress_loop "cxl_mock_accel $ACCEL" "$cycles" cycle
stress_end
