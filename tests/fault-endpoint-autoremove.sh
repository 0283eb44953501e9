#!/bin/bash
# shellcheck disable=SC2317 # functions called through fault_sweep_tail and ktap_test_result
# The autoremove action of a new endpoint port can not be queued
# (patches/fixes/0004): the endpoint is unregistered under the device
# lock the bind already holds, the bind fails, and the next one attaches.
# The last allocations of a cxl_mem bind are failed in turn, downwards,
# until one is that action's; nothing before it is failed, so that an
# earlier site (the endpoint's links) can not hide this one. Without the
# fix the bind deadlocks on that lock: the write never returns, and the
# CXL devices stay locked, so this runs last in its scenario.
# shellcheck source=tests/lib/fault.sh
. "$(dirname "$0")/lib/fault.sh"

ktap_print_header
fault_begin 3
fault_mem_begin
m=$FAULT_MEM
# What a failure leaves is not used: on the base, the dangling endpoint
# pointer of a failed port registration (fixes/0002), among the same last
# allocations, would end the test before the site it is about
FAULT_USE=0
fault_sweep_tail "$CXL/drivers/cxl_mem/bind" "$m" fault_check_mem fault_reset_mem "$FAULT_EP_AUTOREMOVE" down
fault_report
ktap_test_result "a fault hit the endpoint's autoremove action (devm_add_action in cxl_endpoint_autoremove)" \
	fault_reached "$FAULT_EP_AUTOREMOVE"
ktap_test_result "every injected failure failed the bind cleanly or was tolerated; every next bind attached" \
	count_is "bad outcomes" "$FAULT_BAD" 0
fault_bail_if_hung
echo "$m" >"$CXL/drivers/cxl_mem/bind"
ktap_test_result "$m attached again, the topology is as it was" same_state "$start"
fault_teardown
stress_teardown; trap - EXIT
ktap_finished
