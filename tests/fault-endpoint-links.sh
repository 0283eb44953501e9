#!/bin/bash
# shellcheck disable=SC2317 # functions called through fault_sweep_tail and ktap_test_result
# The sysfs links of a new endpoint port fail (patches/fixes/0001): the
# bind of cxl_mem fails, the endpoint it registered is unregistered with
# it, and the next bind attaches. The last allocations of the bind are
# failed in turn, upwards, until one is a link's; nothing after it is
# failed, so that a later site (the endpoint's autoremove) can not hide
# this one. Without the fix the endpoint stays registered: the next bind
# fails, and unloading cxl_pci and cxl_acpi frees what the stale endpoint
# still points at (KASAN, in clear_mem_enable).
# shellcheck source=tests/lib/fault.sh
. "$(dirname "$0")/lib/fault.sh"

ktap_print_header
fault_begin 4
fault_mem_begin
m=$FAULT_MEM
# What a failure leaves is not used: on the base, the dangling endpoint
# pointer of a failed port registration (fixes/0002), among the same last
# allocations, would end the test before the site it is about
FAULT_USE=0
fault_sweep_tail "$CXL/drivers/cxl_mem/bind" "$m" fault_check_mem fault_reset_mem "$FAULT_EP_LINKS" up
fault_report
ktap_test_result "a fault hit the endpoint's sysfs links (sysfs_create_link in __devm_cxl_add_port)" \
	fault_reached "$FAULT_EP_LINKS"
ktap_test_result "every injected failure failed the bind cleanly or was tolerated; every next bind attached" \
	count_is "bad outcomes" "$FAULT_BAD" 0
fault_bail_if_hung
echo "$m" >"$CXL/drivers/cxl_mem/bind"
ktap_test_result "$m attached again, the topology is as it was" same_state "$start"
unload_kasan_silent() {
	stress_teardown || return 1
	fault_no_kasan "the CXL modules unloaded"
}
ktap_test_result "the CXL modules unload, and nothing a failed bind left behind is used after free (KASAN silent)" \
	unload_kasan_silent
fault_teardown; trap - EXIT
ktap_finished
