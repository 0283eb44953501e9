#!/bin/bash
# A loaded accelerator module pins cxl_mem, cxl_port and cxl_core (it links
# against them), but not cxl_acpi: the hierarchy can still go away, which
# the escalation test covers.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "$0")/lib/cxl.sh"

ktap_print_header
ktap_set_plan 4
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
# shellcheck disable=SC2119 # accel_setup's arguments are module parameters; none here
accel_setup || ktap_exit_fail_msg "could not set up the accelerator"
# Only the accelerator may hold the CXL modules now, or the checks below
# pass whatever the accelerator does
if ! modprobe -r cxl_pci || [ -d /sys/module/cxl_pci ]; then
	ktap_exit_fail_msg "modprobe -r cxl_pci failed: cxl_pci would pin the modules itself"
fi
echo "# cxl_mock_accel depends: $(modinfo -F depends cxl_mock_accel)"

ktap_test_result "cxl_mem can not be removed" unremovable cxl_mem
ktap_test_result "cxl_port can not be removed" unremovable cxl_port
ktap_test_result "cxl_core can not be removed" unremovable cxl_core
ktap_test_result "cxl_acpi can be removed" eval 'rmmod cxl_acpi && [ ! -d /sys/module/cxl_acpi ]'

accel_teardown; trap - EXIT
ktap_finished
