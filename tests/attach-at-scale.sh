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
# open: cxl_port_delay (tools/testing/cxl) sleeps SCALE_DELAY_MS in every
# new port's registration, before its driver binds. In those cycles one
# function below each switch belongs to cxl_mock_accel, which probes at the
# same time as cxl_pci: an accelerator that met the window would fall back
# to PCIe-only, for good. A memdev that stays unbound must have said why in
# the kernel log.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

cycles=$(stress_cycles 2)
held=$(stress_cycles 3)
delay=${SCALE_DELAY_MS:-200}
ktap_print_header
ktap_set_plan 4
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
mapfile -t fns < <(type3_pci)
n=${#fns[@]}
[ "$n" -ge 16 ] || ktap_exit_fail_msg "only $n Type-3 functions: this test needs a topology at scale"
# The first function below each switch (its upstream port) is an accelerator
mapfile -t accels < <(for f in "${fns[@]}"; do
	echo "$(basename "$(dirname "$(dirname "$(readlink -f "$f")")")") $(basename "$f")"
done | sort -k1,1 -u | cut -d' ' -f2)
switches=${#accels[@]}
[ "$switches" -ge 2 ] || ktap_exit_fail_msg "only $switches switches: this test needs siblings below switches"
echo "# $n Type-3 functions below $switches switches; accelerators: ${accels[*]}"

reset_all() {
	local f
	[ ! -d /sys/module/cxl_mock_accel ] || modprobe -r cxl_mock_accel || return 1
	for f in "${accels[@]}"; do
		echo >"/sys/bus/pci/devices/$f/driver_override" || return 1
	done
	cxl_reset
}
trap 'reset_all >/dev/null 2>&1' EXIT

# Why a memdev that is not attached failed, from the kernel log
say_why() { # <snapshot>
	local m
	# shellcheck disable=SC2013 # memdev names, one word each
	for m in $(awk '$2 != "cxl_mem" || $4 != "cxl_port" { print $1 }' <<<"$1"); do
		say_lines "  $m: " "$(dmesg | grep -E "(cxl_mem|cxl_port|cxl_pci) .*$m|$m:" | tail -n3)"
	done
}

cycle() {
	local state t0 bad
	cxl_reset || return 1
	t0=$(now_ms)
	# shellcheck disable=SC2015 # the message is for either modprobe failing
	modprobe cxl_acpi && modprobe cxl_pci || { echo "# modprobe failed"; return 1; }
	state=$(memdev_state)	# the instant modprobe returned
	count_is memdevs "$(wc -l <<<"$state")" "$n" || return 1
	if ! bad=$(all_bound "$state"); then
		echo "# cycle $1, $(($(now_ms) - t0)) ms: not attached when modprobe returned:"
		echo "$bad"
		say_why "$state"
		return 1
	fi
}

# Type-3 functions and accelerators probe at once, each new port held
# before its bind; every accelerator must end up in CXL mode.
cycle_held() {
	local state f p1 p2 rc=0 mode ports
	reset_all || return 1
	modprobe cxl_port_delay delay_ms="$delay" || { echo "# cannot load cxl_port_delay"; return 1; }
	for f in "${accels[@]}"; do
		echo cxl_mock_accel >"/sys/bus/pci/devices/$f/driver_override" || return 1
	done
	modprobe cxl_acpi || { echo "# modprobe cxl_acpi failed"; return 1; }
	modprobe cxl_pci & p1=$!
	modprobe cxl_mock_accel & p2=$!
	# shellcheck disable=SC2015 # the message is for either modprobe failing
	wait "$p1" && wait "$p2" || { echo "# modprobe cxl_pci or cxl_mock_accel failed"; return 1; }
	state=$(memdev_state)	# the instant both returned
	ports=$(cat /sys/module/cxl_port_delay/parameters/ports_delayed)
	[ "$ports" -ge "$switches" ] ||
		{ echo "# only $ports ports held before their bind, expected at least $switches"; return 1; }
	for f in "${accels[@]}"; do
		mode=$(cat "/sys/bus/pci/devices/$f/cxl_mode" 2>/dev/null || echo unbound)
		[ "$mode" = cxl ] || { echo "# cycle $1: accelerator $f in $mode mode, expected cxl"; rc=1; }
	done
	count_is memdevs "$(wc -l <<<"$state")" "$n" || rc=1
	if ! all_bound "$state"; then
		echo "# cycle $1: not attached when modprobe returned"
		rc=1
	fi
	if [ "$rc" != 0 ]; then
		say_why "$state"
		say_lines "  " "$(dmesg | grep -E 'not enabled|cxl_mock_accel .*PCIe only' | tail -n8)"
	fi
	return "$rc"
}

ktap_test_result "$cycles cycles: every memdev attached on return" \
	stress_loop "modprobe cxl_acpi cxl_pci" "$cycles" cycle
ktap_test_result "$held cycles with each new port held $delay ms before its bind: every memdev attached on return, no accelerator fell back" \
	stress_loop "modprobe cxl_acpi cxl_pci cxl_mock_accel, ports held" "$held" cycle_held
ktap_test_result "cxl_mock_accel unloads and lets go of its functions" reset_all
ktap_test_result "everything unloads" cxl_reset
trap - EXIT
ktap_finished
