#!/bin/bash
# shellcheck disable=SC2317 # functions called through fault_sweep and ktap_test_result
# Fault injection on devm_cxl_add_memdev() with ops and its attach path:
# bind cxl_mock_accel to its PCI function (sysfs bind; the PCI probe runs in
# the writing task, as the function has no NUMA node) with the Nth slab
# allocation failing, for every call site the sweep reaches. Each failure
# leaves the accelerator without CXL.mem (PCIe mode, devm_cxl_add_memdev()'s
# error in the log) or unbound (the bind returns the error), with no memdev
# and no CXL device left behind; or, where the kernel tolerates the failure,
# fully attached. The accelerator's cxlds->cxlmd is NULL after every
# failure, and so is what its ->probe() op set up (op_setup), and its
# function is used and reset after it with KASAN silent.
# The next bind always gives CXL mode. Then the ->probe() op
# fails (op_result=-EIO). Which call sites were hit is printed; kmemleak runs
# as the scenario's last test.
# shellcheck source=tests/lib/fault.sh
. "$(dirname "$0")/lib/fault.sh"

ktap_print_header
is_cxl_test && ktap_skip_all "no accelerator in cxl_test"
fault_begin 13
m=$(type3_memdev)
node=$(<"/sys/bus/pci/devices/$ACCEL/numa_node")
echo "# accelerator $ACCEL (NUMA node $node), Type-3 $m"
[ "$node" -lt 0 ] || echo "# the function has a NUMA node: pci_call_probe() may probe in a worker, out of fail-nth's reach"
accel_mem
want=$AMEM
accel_unbind
cxl_devices
base=$DEVS

check_accel() { # <rc>: 0 or 1, the bind's status
	local rc=$1 why="" l
	accel_mode_now
	if [ "$AMODE" = cxl ]; then
		[ "$rc" = 0 ] || { echo "# bind returned an error in CXL mode"; return 1; }
		accel_in_cxl_mode && attached "$m" || return 1
		# a memdev of an earlier attempt that was never released keeps its id
		[ "$AMEM" = "$want" ] || { echo "# the accelerator's memdev is $AMEM, not $want: an earlier one was never released"; return 1; }
		cxlds_memdev_is "$AMEM" && op_setup_is "$AMEM" || return 1
		OUTCOME=attached
		return 0
	fi
	accel_mem
	[ -z "$AMEM" ] || { echo "# memdev left behind: $AMEM"; return 1; }
	[ "$AMODE" = unbound ] || { cxlds_memdev_is none && op_setup_is none; } || return 1
	fault_use_pci "$ACCEL"
	FAULT_USES=$((FAULT_USES + 1))
	cxl_devices
	[ "$DEVS" = "$base" ] || { echo "# CXL devices now: $DEVS"; echo "# before: $base"; return 1; }
	attached "$m" || return 1
	case $AMODE in
	pcie)
		for l in "${FAULT_TEXT[@]}"; do
			[[ $l =~ CXL.mem\ unavailable\ \((-[A-Z0-9]+)\) ]] && why=${BASH_REMATCH[1]}
		done
		[ -n "$why" ] || { echo "# PCIe mode without an error from devm_cxl_add_memdev()"; return 1; }
		[ "$rc" = 0 ] || { echo "# bind returned an error in PCIe mode"; return 1; }
		OUTCOME="failed(pcie,$why)" ;;
	*)
		[ "$rc" != 0 ] || { echo "# bind succeeded with the accelerator unbound"; return 1; }
		OUTCOME="failed(bind:$FAULT_WERR)" ;;
	esac
}
# Every failure return of devm_cxl_add_memdev() leaves cxlds->cxlmd NULL,
# and a success leaves it naming the memdev returned
cxlds_memdev_is() { # <memX|none>
	local v
	read -r v <"/sys/bus/pci/devices/$ACCEL/cxlds_memdev" || return 1
	[ "$v" = "$1" ] || { echo "# the accelerator's cxlds->cxlmd: $v, expected $1"; return 1; }
}
# What a successful ->probe() op set up never outlives an attach that
# failed after it: the op undoes it with a devm action on the memdev, as
# the contract asks (the memdev's devm action on the creator can still
# fail the registration after the op)
op_setup_is() { # <memX|none>
	local v
	read -r v <"/sys/bus/pci/devices/$ACCEL/op_setup" || return 1
	[ "$v" = "$1" ] || { echo "# what the ->probe() op set up: $v, expected $1"; return 1; }
}
reset_accel() {
	[ ! -e "/sys/bus/pci/devices/$ACCEL/driver" ] || echo "$ACCEL" >"$ACCEL_DRV/unbind"
	cxl_flush
}

# cxl_memdev_alloc(), cxl_memdev_add() and cxl_memdev_autoremove() are
# inlined into __devm_cxl_add_memdev(): the callee tells the call sites apart.
add='@(__devm_cxl_add_memdev|devm_cxl_register_memdev|cxl_memdev_alloc|cxl_memdev_add|cxl_memdev_autoremove)'
# the memdev's autoremove action is one allocation among the last ones,
# its kzalloc one among the first
FAULT_SEEK="*>$add>__devm_add_action*"
FAULT_SEEK_HEAD="*>$add>__kmalloc*"
fault_sweep_and_report "$ACCEL_DRV/bind" "$ACCEL" check_accel reset_accel

ktap_test_result "the PCI probe ran in the writing task (a fault hit mock_accel_probe)" \
	fault_reached 'mock_accel_probe>*'
ktap_test_result "every injected failure failed cleanly or was tolerated; every next bind gave CXL mode" \
	count_is "bad outcomes" "$FAULT_BAD" 0
fault_bail_if_hung
ktap_test_result "memdev allocation (kzalloc in cxl_memdev_alloc)" \
	fault_reached "*>$add>__kmalloc*"
if fault_reached "*>$add>ida_alloc*"; then
	ktap_test_pass "memdev id allocation (ida_alloc_max)"
else
	ktap_test_skip "memdev id allocation: not reached; ida keeps ids below 63 in its XArray head entry, so ida_alloc_max() makes no slab allocation here, and it is not an error-injection point"
fi
if fault_reached "*>$add>dev_set_name"; then
	ktap_test_pass "memdev naming (dev_set_name in cxl_memdev_add)"
else
	ktap_test_skip "memdev naming (dev_set_name in cxl_memdev_add): not reached; its N moves by one between attempts, and both of its neighbours can land on the memdev's kzalloc"
fi
ktap_test_result "memdev cdev and device add (cdev_device_add in cxl_memdev_add)" \
	fault_reached "*>$add>cdev_device_add"
ktap_test_result "memdev autoremove action (devm_add_action_or_reset in cxl_memdev_autoremove)" \
	fault_reached "*>$add>__devm_add_action*"
fault_endpoint_results
ktap_test_result "nothing a failed devm_cxl_add_memdev() left behind is used after free (cxlds, PCI reset; KASAN silent)" \
	fault_kasan_silent
inj=$(fault_injectable_on_path | xargs)
if [ -z "$inj" ]; then
	ktap_test_skip "fail_function: no function on these stacks is an error-injection point besides failslab's own"
else
	ktap_test_fail "fail_function: injectable functions on the path, not yet exercised: $inj"
fi

# The ->probe() op fails
accel_param op_result -5
echo "$ACCEL" >"$ACCEL_DRV/bind"
fault_mark op	# the bind's kernel log is what comes before the marker
fault_collect op
op_failed() {
	OUTCOME=
	check_accel 0
	case $OUTCOME in
	"failed(pcie,-ENXIO)" | "failed(pcie,-6)") ;;
	*) echo "# outcome: ${OUTCOME:-bad}"; return 1 ;;
	esac
}
ktap_test_result "->probe() op fails: PCIe mode, -ENXIO, nothing left behind" op_failed
accel_param op_result 0
reset_accel
echo "$ACCEL" >"$ACCEL_DRV/bind"
back() { accel_in_cxl_mode && same_state "$start"; }
ktap_test_result "the next bind gives CXL mode, and the topology is as it was" back
fault_teardown
stress_teardown; trap - EXIT
ktap_finished
