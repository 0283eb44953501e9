#!/bin/bash
# shellcheck disable=SC2317 # functions called through stress_loop
# A memdev's port enumeration finds its switch's port, registered by a
# sibling memdev below the same switch; before it takes that port's
# lock, the sibling unbinds and, as the last memdev below the switch,
# takes the port with it. The enumeration must look again and add the
# port anew, not fail the probe with -ENXIO on a port that has no driver
# (which the driver core logs at debug level only: the memdev just stays
# unbound).
#
# A and B below one switch, B unbound and A alone holding the switch's
# port: B's bind is held on the return of dev_vprintk_emit() from the
# debug message that says it found the port ("found already registered
# port", the only message dynamic debug enables; tests/lib/delay.sh), A
# is unbound meanwhile, and B must attach once released.
# patches/fixes/: "Wait for a port's registration before adding a dport
# to it" (the dead port sends the walk back to look again);
# patches/mainline/: "Look for a port again when port enumeration finds
# it dead". About 15 s a cycle under TCG.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"
# shellcheck source=tests/lib/delay.sh
. "$(dirname "$0")/lib/delay.sh"

cycles=$(stress_cycles 3)
ktap_print_header
stress_begin 6
trap 'held_message_end; stress_teardown >/dev/null 2>&1' EXIT

pick() { # A, B: two memdevs whose endpoints hang off one switch port, P
	read -r A B P < <(switch_pair) || { echo "# no two memdevs below one switch port"; return 1; }
}
alone_below() { # <memX> <port>: <port>'s only endpoint is <memX>'s
	local e n=0
	for e in "$CXL/devices/$2"/endpoint*; do [ -e "$e" ] && n=$((n + 1)); done
	ep_of "$1"
	[ "$n" = 1 ] && [ -n "$EP" ] && [ -e "$CXL/devices/$2/$EP" ]
}

memdev_count
memdevs_before=$MEMDEVS
pick || ktap_exit_fail_msg "the topology has no switch with two memdevs"
echo "# $A and $B below $P"
held_message_begin 1 'module cxl_core format found\040already\040registered\040port'
hits=0 attached_b=0

cycle() {
	local pid t0
	pick || return 1
	echo "$B" >"$CXL/drivers/cxl_mem/unbind" && cxl_flush && detached "$B" || return 1
	alone_below "$A" "$P" || { echo "# $P holds more than $A's endpoint"; return 1; }
	delay_hits "$HELD_MESSAGE_SITE"
	local n=$DDELAYED
	delay_set 6000000 || return 1
	echo "$B" >"$CXL/drivers/cxl_mem/bind" 2>/dev/null &
	pid=$!
	spin_until 10000 delay_held_past "$HELD_MESSAGE_SITE" "$n" || echo "# $B's walk did not find $P"
	t0=$(now_ms)
	delay_set 0 || return 1
	# B waits in the window: A takes P with it
	if kill -0 "$pid" 2>/dev/null && echo "$A" >"$CXL/drivers/cxl_mem/unbind" &&
		cxl_flush && settles port_gone "$P" && kill -0 "$pid" 2>/dev/null; then
		echo "# cycle $1: $P gone $(($(now_ms) - t0)) ms into $B's 6 s hold"
		hits=$((hits + 1))
	fi
	wait_pids 60 "$pid" || return 1
	cxl_flush
	if attached "$B"; then
		attached_b=$((attached_b + 1))
	else
		echo "# cycle $1: $B did not attach"
	fi
	echo "$A" >"$CXL/drivers/cxl_mem/bind" 2>/dev/null
	cxl_flush
	probe_unbound
	accel_back || return 1
	settles all_attached_now && memdevs_are "$memdevs_before"
}

ktap_test_result "$cycles cycles: $B's walk holds $P while $A unbinds and takes it" \
	stress_loop "walk vs sibling's unbind" "$cycles" cycle
echo "# $P went while $B's walk held it in $hits of $cycles cycles"
delay_report
ktap_test_result "$B attached in every cycle" count_is "cycles where $B attached" "$attached_b" "$cycles"
ktap_test_result "nothing freed is read meanwhile (KASAN silent)" klog_quiet
ktap_test_result "the window was hit in every cycle" count_is "cycles with $P gone in the window" "$hits" "$cycles"
held_message_end
stress_end
