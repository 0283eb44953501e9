#!/bin/bash
# Unbind and bind cxl_acpi on the CXL root device (ACPI0017, or cxl_test's
# cxl_acpi.0), many times: every memdev detaches and stays registered (the
# accelerator loses its driver), and the bind alone attaches the memdevs
# again.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

cycles=$(stress_cycles 100 10)
root_stress_begin 3
m=$(type3_memdev)

# shellcheck disable=SC2317 # called by stress_loop
cycle() {
	echo "$root" >"$acpi/unbind" || return 1
	cxl_flush
	detached "$m" || return 1
	[ -z "${ACCEL:-}" ] || accel_gone || return 1
	echo "$root" >"$acpi/bind" || return 1
	settles all_attached_now || return 1
	accel_back
}
ktap_test_result "$cycles cycles of cxl_acpi unbind/bind on $root" \
	stress_loop "cxl_acpi $root" "$cycles" cycle
stress_end
