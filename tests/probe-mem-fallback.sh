#!/bin/bash
# shellcheck disable=SC2317 # functions called through ktap_test_result
# Linux 7.2.8 only (make check-mainline SCENARIOS=mainline-hw): a creator
# whose devm_cxl_probe_mem() fails, and which carries on as a PCIe device
# as an accelerator does, keeps its binding once the detach work that its
# failed endpoint queued has run; that work never releases a later
# binding; and the creator's cxl_dev_state names no memdev afterwards.
# The creator is tests/mainline/cxl_probe_accel. Under QEMU its attach
# always fails: no firmware committed a region for
# cxl_memdev_attach_region() to find.
#
# Binding 1 is the setup's, without CXL. The later binding: binding 2's
# detach work is held at detach_memdev() (kprobe_delay, HOLD_US) while the
# creator is unbound and bound again without CXL (binding 3); the window
# counts only when that bind ended before the hold could have. Binding 4
# is the plain fallback, its detach not held.
ACCEL_MOD=cxl_probe_accel
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"
# shellcheck source=tests/lib/delay.sh
. "$(dirname "$0")/lib/delay.sh"

HOLD_US=5000000
accel_attr() { cat "/sys/bus/pci/devices/$ACCEL/$1" 2>/dev/null || echo unbound; }
# Bound, binding <n>, PCIe mode, no memdev
binding_kept() { # <n>
	local b
	b=$(accel_attr binding)
	[ "$b" = "$1" ] || { echo "# creator's binding: $b, not $1"; return 1; }
	accel_in_pcie_mode
}
detaches() { delay_hits detach_memdev; echo "$DHITS"; }
cxlds_cleared() {
	local v
	v=$(accel_attr cxlds_memdev)
	[ "$v" = none ] || { echo "# cxlds->cxlmd: $v"; return 1; }
}
window_hit() { # <detach works held> <ms from binding 2's probe to binding 3>
	count_is "detach works held" "$1" 1 || return 1
	[ "$2" -lt $((HOLD_US / 1000)) ] || { echo "# binding 3 came after the hold"; return 1; }
}
rebind() { # <use_cxl>: unbind the creator if bound, bind it again, no flush
	accel_param use_cxl "$1"
	[ ! -e "/sys/bus/pci/devices/$ACCEL/driver" ] || echo "$ACCEL" >"$ACCEL_DRV/unbind"
	echo "$ACCEL" >"$ACCEL_DRV/bind"
}

ktap_print_header
ktap_set_plan 6
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
klog_mark
accel_setup use_cxl=0 || ktap_exit_fail_msg "could not set up the creator"
trap 'delay_unload; accel_teardown >/dev/null 2>&1' EXIT
delay_load 0 1 detach_memdev || ktap_exit_fail_msg "could not load kprobe_delay"
echo "# creator $ACCEL"

# Binding 2, its detach held; binding 3 without CXL while it waits
before=$(detaches)
delay_set "$HOLD_US"
t0=$EPOCHREALTIME
rebind 1
ktap_test_result "binding 2 failed its attach: cxlds->cxlmd names no memdev" cxlds_cleared
rebind 0
t1=$EPOCHREALTIME
delay_set 0
held=$(($(detaches) - before))
cxl_flush
ktap_test_result "binding 3 (no CXL) still bound once binding 2's detach ran" binding_kept 3
ms=$(( (${t1/./} - ${t0/./}) / 1000 ))
echo "# binding 3 bound ${ms} ms after binding 2's probe began; detach work held $((HOLD_US / 1000)) ms"
ktap_test_result "the window was hit: binding 2's detach held when binding 3 bound" \
	window_hit "$held" "$ms"

# Binding 4: the plain fallback
before=$(detaches)
rebind 1
cxl_flush
ktap_test_result "binding 4 failed its attach, which queued its memdev's detach" \
	count_is "detach works" "$(($(detaches) - before))" 1
ktap_test_result "binding 4 still bound as PCIe, no memdev, once that detach ran" binding_kept 4
delay_report
ktap_test_result "nothing freed is read meanwhile (KASAN silent)" klog_quiet

delay_unload
accel_teardown; trap - EXIT
ktap_finished
