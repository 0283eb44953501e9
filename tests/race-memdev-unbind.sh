#!/bin/bash
# shellcheck disable=SC2317 # functions called through together and stress_loop
# Two tasks unbind the same memdev at the same instant, many times: cxl_mem
# from a Type-3 memdev; on hardware also cxl_mem from the accelerator's
# memdev (both unbinds ask for the accelerator's detach), and cxl_mem from
# the accelerator's memdev while the accelerator's own driver unbinds.
# Neither task hangs, the memdev ends up detached (the accelerator
# unbound), and the next bind attaches it again.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

cycles=$(stress_cycles 30)
ktap_print_header
stress_begin 5
m=$(type3_memdev)

unbind_m() { echo "$m" >"$CXL/drivers/cxl_mem/unbind"; }
unbind_amem() { echo "$amem" >"$CXL/drivers/cxl_mem/unbind"; }
unbind_accel() { echo "$ACCEL" >"$ACCEL_DRV/unbind"; }

type3_twice() {
	together unbind_m unbind_m || return 1
	cxl_flush
	detached "$m" || return 1
	bind_again "$CXL/drivers/cxl_mem" "$m" && attached "$m"
}
accel_mem_twice() {
	accel_mem
	amem=$AMEM
	together unbind_amem unbind_amem || return 1
	settles accel_gone || return 1
	bind_again "$ACCEL_DRV" "$ACCEL" && accel_in_cxl_mode
}
accel_mem_and_accel() {
	accel_mem
	amem=$AMEM
	together unbind_amem unbind_accel || return 1
	settles accel_gone || return 1
	bind_again "$ACCEL_DRV" "$ACCEL" && accel_in_cxl_mode
}

ktap_test_result "$cycles times two tasks unbind cxl_mem from $m" \
	stress_loop "cxl_mem unbind x2" "$cycles" type3_twice
if [ -n "$ACCEL" ]; then
	ktap_test_result "$cycles times two tasks unbind cxl_mem from the accelerator's memdev" \
		stress_loop "accelerator memdev unbind x2" "$cycles" accel_mem_twice
	ktap_test_result "$cycles times cxl_mem and the accelerator unbind at once" \
		stress_loop "accelerator memdev and accelerator unbind" "$cycles" accel_mem_and_accel
else
	ktap_test_skip "two tasks unbind the accelerator's memdev: no accelerator in cxl_test"
	ktap_test_skip "the accelerator's memdev and the accelerator unbind at once: no accelerator in cxl_test"
fi
stress_end
