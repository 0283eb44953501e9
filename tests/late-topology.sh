#!/bin/bash
# cxl_pci before cxl_acpi: the memdevs register but can not attach without a
# CXL root. Loading cxl_acpi afterwards attaches them (its probe rescans the
# bus), with no further modprobe.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "$0")/lib/cxl.sh"

ktap_print_header
ktap_set_plan 3
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"

[ "$(type3_pci | wc -l)" -gt 0 ] || ktap_exit_fail_msg "no Type-3 PCI function to test with"
modprobe cxl_pci || ktap_exit_fail_msg "modprobe cxl_pci failed"
before=$(memdev_state)
# shellcheck disable=SC2001 # prefixes every line of the snapshot
echo "$before" | sed 's/^/# before cxl_acpi: /'
ktap_test_result "memdevs are registered without a CXL root" \
	count_is memdevs "$(memdevs | wc -l)" "$(type3_pci | wc -l)"
ktap_test_result "and none is attached" none_bound "$before"

modprobe cxl_acpi
ktap_test_result "loading cxl_acpi attaches every memdev" eventually 10 all_attached

cxl_reset
ktap_finished
