#!/bin/bash
# shellcheck disable=SC2317 # functions called through stress_loop and ktap_test_result
# At scale, attach-on-return holds in every cycle: "modprobe cxl_acpi;
# modprobe cxl_pci" returns with every memdev bound to cxl_mem and its
# endpoint bound to cxl_port, while many memdevs attach at once below each
# switch port that the first of them creates (scenarios/hw-scale.sh).
#
# A sibling that finds such a port after device_add() put it on the bus,
# but before cxl_port bound to it, must wait for the bind rather than fail.
# Under TCG that window is rarely hit, so the second set of cycles holds it
# open without touching the kernel: kobject_uevent_env() prints a debug message
# between bus_add_device() and the probe of every device (the KOBJ_ADD uevent), and with that
# one dynamic debug site enabled and kernel.printk_delay set, each device
# waits there for SCALE_DELAY_MS. A memdev that stays unbound must have
# said why in the kernel log.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

cycles=$(stress_cycles 3)
wide=$(stress_cycles 3)
delay=${SCALE_DELAY_MS:-15}
ktap_print_header
ktap_set_plan 4
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
n=$(type3_pci | wc -l)
[ "$n" -ge 16 ] || ktap_exit_fail_msg "only $n Type-3 functions: this test needs a topology at scale"
echo "# $n Type-3 functions"

trap 'window_close kobject_uevent_env; cxl_reset >/dev/null 2>&1' EXIT

cycle() {
	local state t0 bad m
	cxl_reset || return 1
	t0=$(now_ms)
	modprobe cxl_acpi && modprobe cxl_pci || { echo "# modprobe failed"; return 1; }
	state=$(memdev_state)	# the instant modprobe returned
	count_is memdevs "$(wc -l <<<"$state")" "$n" || return 1
	if ! bad=$(all_bound "$state"); then
		echo "# cycle $1, $(($(now_ms) - t0)) ms: not attached when modprobe returned:"
		echo "$bad"
		for m in $(awk '$2 != "cxl_mem" { print $1 }' <<<"$state"); do
			say_lines "  $m: " "$(dmesg | grep -E "(cxl_mem|cxl_port|cxl_pci) .*$m|$m:" | tail -n3)"
		done
		return 1
	fi
}

ktap_test_result "$cycles cycles: every memdev attached on return" \
	stress_loop "modprobe cxl_acpi cxl_pci" "$cycles" cycle
ktap_test_result "the window is held open (dynamic debug in kobject_uevent_env, printk_delay $delay ms)" \
	window_open kobject_uevent_env "$delay"
ktap_test_result "$wide cycles with the window held open: every memdev attached on return" \
	stress_loop "modprobe cxl_acpi cxl_pci, window open" "$wide" cycle
window_close kobject_uevent_env
ktap_test_result "everything unloads" cxl_reset
trap - EXIT
ktap_finished
