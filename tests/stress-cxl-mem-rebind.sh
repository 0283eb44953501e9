#!/bin/bash
# Unbind and bind cxl_mem on a Type-3 memdev, many times: each unbind leaves
# the memdev registered without an endpoint, each bind attaches it again,
# and the rest of the topology (the accelerator, on hardware) is untouched.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

cycles=$(stress_cycles 100)
ktap_print_header
stress_begin 3
m=$(type3_memdev)

# shellcheck disable=SC2317 # called by stress_loop
cycle() {
	echo "$m" >"$CXL/drivers/cxl_mem/unbind" || return 1
	cxl_flush
	detached "$m" || return 1
	echo "$m" >"$CXL/drivers/cxl_mem/bind" || return 1
	attached "$m"
}
ktap_test_result "$cycles cycles of cxl_mem unbind/bind on $m" stress_loop "cxl_mem $m" "$cycles" cycle
stress_end
