#!/bin/bash
# When CXL.mem can not be had, devm_cxl_add_memdev(cxlds, &ops) fails, leaves
# no memdev behind and leaks no memdev id; the accelerator carries on as a
# PCIe device. Causes: the ->probe() op fails, or there is no CXL root.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "$0")/lib/cxl.sh"

lowest_free_id() { # the id the next memdev should get
	local i=0
	while [ -e "$CXL/devices/mem$i" ]; do i=$((i + 1)); done
	echo "$i"
}

ktap_print_header
ktap_set_plan 6
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
accel_setup op_result=-5 || ktap_exit_fail_msg "could not set up the accelerator"

ktap_test_result "op fails (-EIO): accelerator runs in PCIe mode, no memdev, still bound once cxl_bus_wq is idle" \
	accel_stays_pcie
ktap_test_result "the op ran once" count_is "op calls" "$(accel_op_calls)" 1
for i in 1 2 3; do accel_unbind; accel_bind; done
want=$(lowest_free_id)
accel_param op_result 0
accel_unbind
accel_bind
# shellcheck disable=SC2016 # expanded by eval, when the check runs
ktap_test_result "after 4 failures the next memdev gets the lowest free id (mem$want)" \
	eval 'accel_in_cxl_mode && [ "$(accel_memdev)" = "mem$want" ]'

root=$(basename "$(readlink -f /sys/bus/platform/drivers/cxl_acpi/ACPI0017:*)")
accel_unbind
echo "$root" >/sys/bus/platform/drivers/cxl_acpi/unbind
accel_bind
ktap_test_result "no CXL root: accelerator runs in PCIe mode, no memdev, still bound once cxl_bus_wq is idle" \
	accel_stays_pcie
ktap_test_result "and the op was never called" count_is "op calls" "$(accel_op_calls)" 0
accel_unbind
echo "$root" >/sys/bus/platform/drivers/cxl_acpi/bind
accel_bind
ktap_test_result "CXL root back: binding again gives CXL mode" accel_in_cxl_mode

accel_teardown; trap - EXIT
ktap_finished
