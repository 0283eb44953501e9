#!/bin/bash
# shellcheck disable=SC2317 # functions called through stress_loop and ktap_test_result
# Two memdevs below one switch attach at once, the second while the first
# has registered the switch's port and cxl_port has not bound it yet: the
# second must wait for that port's bind and attach, not fail with -ENXIO
# on a port with no driver (patches/fixes/0006).
#
# The window is held open without touching the kernel: device_add() sends
# the new port's uevent between putting it on the bus and probing it, and
# with kobject_uevent_env()'s debug message enabled and
# kernel.printk_delay set, the registering task waits there for
# RACE_DELAY_MS. Both memdevs are unbound first, so that the switch's port
# is gone and the first bind adds it anew. A cycle hit the window when the
# new port was seen registered and unbound when the second bind began; the
# run proves nothing unless some cycles did.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

cycles=$(stress_cycles 5)
delay=${RACE_DELAY_MS:-800}
hold=kobject_uevent_env
ktap_print_header
is_cxl_test && ktap_skip_all "cxl_test's mock switches bind in one probe"
stress_begin 4
trap 'window_close $hold; stress_teardown >/dev/null 2>&1' EXIT

read -r a b _ < <(switch_pair) || ktap_exit_fail_msg "no two memdevs below one switch port"
echo "# $a and $b below one switch; the new port's uevent held $delay ms"

ports() { # PORTS=the port devices now, one line
	local p l=()
	for p in "$CXL"/devices/port*; do [ -e "$p" ] && l+=("${p##*/}"); done
	PORTS=" ${l[*]} "
}
hits=0
cycle() {
	local pa p t0 new="" state=- err
	attached "$a" || return 1
	attached "$b" || return 1
	if ! { echo "$a" >"$CXL/drivers/cxl_mem/unbind" && echo "$b" >"$CXL/drivers/cxl_mem/unbind"; }; then
		echo "# unbind of cxl_mem from $a and $b failed"
		return 1
	fi
	cxl_flush
	ports
	local before=$PORTS
	window_open "$hold" "$delay" || return 1
	(echo "$a" >"$CXL/drivers/cxl_mem/bind") &
	pa=$!
	# the first bind's switch port: registered, then held in its uevent
	t0=$SECONDS
	while [ -z "$new" ] && [ $((SECONDS - t0)) -lt 30 ] && kill -0 "$pa" 2>/dev/null; do
		ports
		for p in $PORTS; do
			case $before in *" $p "*) ;; *) new=$p ;; esac
		done
		[ -n "$new" ] || snooze 0.05
	done
	if [ -n "$new" ]; then
		state=bound
		[ -e "$CXL/devices/$new/driver" ] || { state=unbound; hits=$((hits + 1)); }
	fi
	err=$({ echo "$b" >"$CXL/drivers/cxl_mem/bind"; } 2>&1)
	wait_pids 120 "$pa" || { window_close "$hold"; return 1; }
	window_close "$hold"
	cxl_flush
	[ -z "$err" ] || { echo "# bind of cxl_mem to $b, with ${new:-no new port} $state: ${err##*: }"; return 1; }
	attached "$a" && attached "$b"
}
ktap_test_result "$cycles cycles: $b binds while $a's bind has registered their switch port, before cxl_port binds it; both attach" \
	stress_loop "two binds below one switch, the port's probe held" "$cycles" cycle
echo "# the second bind found the switch port registered and unbound in $hits of $cycles cycles"
ktap_test_result "the window was hit: the switch port was registered and unbound when the second bind began" \
	test "$hits" -gt 0
probe_unbound
stress_end
