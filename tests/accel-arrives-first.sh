#!/bin/bash
# An accelerator that probes before the CXL hierarchy exists (cxl_acpi not
# loaded yet) runs PCIe-only, and stays so when cxl_acpi arrives: the
# all-or-nothing attach left no memdev for the CXL bus rescan to attach,
# and nothing rebinds a creator. The Type-3 memdevs, registered and
# unbound meanwhile, do attach then. A new bind of the accelerator gives
# it CXL.mem. (Documentation/driver-api/cxl/linux/memdev-attach.rst)
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

ktap_print_header
is_cxl_test && ktap_skip_all "no accelerator in cxl_test"
ktap_set_plan 4
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
trap 'accel_teardown >/dev/null 2>&1' EXIT
modprobe cxl_pci || ktap_exit_fail_msg "modprobe cxl_pci failed"
ACCEL=$(accel_bdf) || ktap_exit_fail_msg "no memdev with serial $ACCEL_SERIAL"
{
	echo "$ACCEL" >/sys/bus/pci/drivers/cxl_pci/unbind &&
		echo cxl_mock_accel >"/sys/bus/pci/devices/$ACCEL/driver_override" &&
		modprobe cxl_mock_accel
} || ktap_exit_fail_msg "could not hand $ACCEL to cxl_mock_accel"
n=$(type3_memdevs | wc -l)
[ "$n" -gt 0 ] || ktap_exit_fail_msg "no Type-3 memdev besides the accelerator"

ktap_test_result "no CXL root: the accelerator runs PCIe-only" accel_stays_pcie
modprobe cxl_acpi || ktap_exit_fail_msg "modprobe cxl_acpi failed"
ktap_test_result "loading cxl_acpi attaches the $n Type-3 memdev(s)" \
	eventually 10 every_memdev attached
ktap_test_result "and leaves the accelerator PCIe-only: nothing rebinds a creator" \
	accel_stays_pcie
accel_unbind
accel_bind
ktap_test_result "a new bind of the accelerator attaches it in CXL mode" accel_in_cxl_mode
accel_teardown
trap - EXIT
ktap_finished
