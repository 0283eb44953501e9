#!/bin/bash
# shellcheck disable=SC2317 # functions called through fault_sweep and ktap_test_result
# Fault injection on the attach path of a memdev without ops: bind cxl_mem
# to a Type-3 memdev through sysfs (cxl_mem probes synchronously, in the
# writing task) with the Nth slab allocation failing, for every call site
# the sweep reaches. Each failure makes the bind return an error and leaves
# the memdev registered, unbound, with no endpoint and no other CXL device
# left behind (or, where the kernel tolerates the failure, attached); the
# next bind attaches it. After each failure the memdev is used as its users
# can (fault_use_memdev), and KASAN must stay silent. Last, the first
# probe of a new memdev is made to fail in adding the endpoint port, after
# the ports above took their references on it, and the memdev is
# unregistered (cxl_pci unbinds its function): no port may keep a
# reference, or the memdev's id stays allocated and the function's next
# memdev gets another name. It must be a new memdev's first probe: a
# memdev's depth, which the unwind of a failed probe walks, stays set once
# an endpoint attached. kmemleak runs as the scenario's last test.
# shellcheck source=tests/lib/fault.sh
. "$(dirname "$0")/lib/fault.sh"

ktap_print_header
fault_begin 10
fault_mem_begin
m=$FAULT_MEM

# the endpoint's autoremove action is one allocation among the last ones
FAULT_SEEK=$FAULT_EP_AUTOREMOVE
fault_sweep_and_report "$CXL/drivers/cxl_mem/bind" "$m" fault_check_mem fault_reset_mem

ktap_test_result "cxl_mem probed in the writing task (a fault hit cxl_mem_probe)" \
	fault_reached '*cxl_mem_probe>*'
ktap_test_result "every injected failure failed the bind cleanly or was tolerated; every next bind attached" \
	count_is "bad outcomes" "$FAULT_BAD" 0
fault_bail_if_hung
fault_endpoint_results
ktap_test_result "endpoint sysfs links (sysfs_create_link in __devm_cxl_add_port)" \
	fault_reached "$FAULT_EP_LINKS"
ktap_test_result "endpoint autoremove action (devm_add_action in cxl_endpoint_autoremove)" \
	fault_reached "$FAULT_SEEK"
ktap_test_result "nothing a failed bind left behind is used after free (memdev attributes, sanitize, poison list, PCI reset; KASAN silent)" \
	fault_kasan_silent

pci=$(pci_of "$m")
cxl_pci_rebind() {
	if ! { echo "$pci" >/sys/bus/pci/drivers/cxl_pci/unbind && echo "$pci" >/sys/bus/pci/drivers/cxl_pci/bind; }; then
		echo "# cxl_pci rebind of $pci failed"
		return 1
	fi
}
# A new memdev, left unbound for a bind (drivers_autoprobe). Each attempt
# of the replay below gets one: an attempt that lands elsewhere may have
# attached the memdev, which sets its depth for good.
new_memdev() {
	local rc=0
	echo 0 >"$CXL/drivers_autoprobe" || return 1
	cxl_pci_rebind || rc=1
	echo 1 >"$CXL/drivers_autoprobe"
	[ "$rc" = 0 ] || return 1
	detached "$m" || { echo "# $pci's new memdev is not $m, unbound: $(memdevs | xargs)"; return 1; }
}
# ... whose first bind fails in adding its endpoint
first_bind_failed() {
	new_memdev || return 1
	fault_replay "$CXL/drivers/cxl_mem/bind" "$m" new_memdev \
		"$FAULT_EP_ADD" '*devm_cxl_enumerate_ports*' || return 1
	detached "$m"
}
unregistered_again() {
	cxl_pci_rebind || return 1
	settles attached "$m" || { echo "# $pci's memdev now: $(memdevs | xargs)"; return 1; }
}
if first_bind_failed; then
	ktap_test_pass "a new memdev's first bind failed in adding the endpoint port ($FAULT_REPLAY)"
	ktap_test_result "then $pci's memdev unregistered: it is $m again (no port kept a reference)" \
		unregistered_again
else
	ktap_test_fail "a new memdev's first bind failed in adding the endpoint port"
	ktap_test_skip "then $pci's memdev unregistered: it is $m again (no port kept a reference)"
	[ -e "$CXL/devices/$m/driver" ] || echo "$m" >"$CXL/drivers/cxl_mem/bind"
fi
fault_bail_if_hung
ktap_test_result "$m attached again, the topology is as it was" same_state "$start"
fault_teardown
stress_teardown; trap - EXIT
ktap_finished
