#!/bin/bash
# Tearing the CXL hierarchy down under an accelerator detaches the
# accelerator's own driver: it never runs on CXL state that is gone. Three
# ways: unbind cxl_mem from its memdev, unbind an ancestor port, remove
# cxl_acpi. Type-3 memdevs in the same topology stay registered throughout,
# and the accelerator binds again in CXL mode once the hierarchy is back.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "$0")/lib/cxl.sh"

ktap_print_header
ktap_set_plan 9
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
# shellcheck disable=SC2119 # accel_setup's arguments are module parameters; none here
accel_setup || ktap_exit_fail_msg "could not set up the accelerator"
n3=$(($(type3_pci | wc -l) - 1))
echo "# accelerator $ACCEL, memdev $(accel_memdev), $n3 Type-3 memdevs"

# shellcheck disable=SC2005 # one newline-terminated write to sysfs, even when there is no memdev
echo "$(accel_memdev)" >"$CXL/drivers/cxl_mem/unbind"
ktap_test_result "unbind cxl_mem from the accelerator's memdev: accelerator detached" \
	eventually 10 accel_detached
ktap_test_result "Type-3 memdevs kept" type3_kept "$n3"
accel_bind
ktap_test_result "accelerator binds again in CXL mode" accel_in_cxl_mode

port=$(parent_port_of "$(endpoint_of "$(accel_memdev)")")
echo "# ancestor port: $port"
echo "$port" >"$CXL/drivers/cxl_port/unbind"
ktap_test_result "unbind ancestor $port: accelerator detached" eventually 10 accel_detached
ktap_test_result "Type-3 memdevs kept" type3_kept "$n3"
echo "$port" >"$CXL/drivers/cxl_port/bind"
accel_bind
ktap_test_result "accelerator binds again in CXL mode" accel_in_cxl_mode

modprobe -r cxl_acpi
ktap_test_result "remove cxl_acpi: accelerator detached" eventually 10 accel_detached
ktap_test_result "Type-3 memdevs kept" type3_kept "$n3"
modprobe cxl_acpi
accel_bind
ktap_test_result "accelerator binds again in CXL mode" accel_in_cxl_mode

accel_teardown; trap - EXIT
ktap_finished
