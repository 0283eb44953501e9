#!/bin/bash
# shellcheck disable=SC2317 # functions called through ktap_test_result
# An accelerator driver links devm_cxl_add_memdev() from cxl_mem and needs
# nothing of cxl_pci. On the series built with CXL_PCI=n
# (scenarios/hw-nopci.sh) there is no cxl_pci module at all; cxl_mock_accel
# loads with cxl_acpi alone, and its function gets CXL.mem, attached.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "$0")/lib/cxl.sh"

ktap_print_header
ktap_set_plan 5
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
mapfile -t fns < <(type3_pci)	# all of them: head would cut xargs' pipe
[ "${#fns[@]}" -gt 0 ] || ktap_exit_fail_msg "no CXL memory device function"
ACCEL=${fns[0]##*/}
echo "# accelerator: $ACCEL"
trap 'accel_teardown >/dev/null 2>&1' EXIT

no_cxl_pci() {
	! modinfo cxl_pci >/dev/null 2>&1 || { echo "# cxl_pci: $(modinfo -F filename cxl_pci)"; return 1; }
}
loads_alone() {
	echo cxl_mock_accel >"/sys/bus/pci/devices/$ACCEL/driver_override" &&
		modprobe cxl_acpi && modprobe cxl_mock_accel || return 1
	cxl_flush
	[ -d /sys/module/cxl_mem ] || { echo "# cxl_mem is not loaded"; return 1; }
	[ ! -d /sys/module/cxl_pci ] || { echo "# cxl_pci is loaded"; return 1; }
}
only_memdev() { count_is memdevs "$(memdevs | wc -l)" 1; }

ktap_test_result "the modules have no cxl_pci" no_cxl_pci
ktap_test_result "cxl_mock_accel and cxl_mem load with cxl_acpi, without cxl_pci" loads_alone
ktap_test_result "the accelerator has CXL.mem, its memdev attached" accel_in_cxl_mode
ktap_test_result "its memdev is the only one: no other driver made one" only_memdev
ktap_test_result "everything unloads" accel_teardown
trap - EXIT
ktap_finished
