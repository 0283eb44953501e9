#!/bin/bash
# shellcheck disable=SC2317 # functions called through stress_loop and ktap_test_result
# An endpoint port unbound, bound and unbound again before cxl_bus_wq has
# run the memdev detach its first unbind queued: the second request finds
# the work still queued, the work runs once for both, and no reference on
# the memdev may be left over. A leaked one keeps the memdev's id
# allocated after it is unregistered, so its PCI function's next memdev
# gets another name.
#
# cxl_bus_wq is single-threaded; it is kept busy meanwhile without
# touching the kernel, by a detach queued just before whose work prints a
# debug message: with that one dynamic debug site enabled and
# kernel.printk_delay set, it waits there for RACE_DELAY_MS while the
# Type-3 memdev's detach queues behind it. With the accelerator, that is
# its creator detach, queued by unbinding cxl_mem from its memdev; without
# it (cxlaccel=0, scenarios/fixes.sh, which runs this on the base), the
# other Type-3 memdev's detach, queued by unbinding its endpoint, whose
# cxl_detach_ep() says what it disconnects. A cycle hit the window when
# the endpoint was still registered after the second unbind; the run
# proves nothing unless some cycles did.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

cycles=$(stress_cycles 5)
delay=${RACE_DELAY_MS:-1500}
creator_window_begin 5

m=$(type3_memdev)
[ -n "$m" ] || ktap_exit_fail_msg "no Type-3 memdev"
pci=$(pci_of "$m")
if [ -n "$ACCEL" ]; then
	hold=detach_memdev_creator holder="the accelerator's creator detach"
else
	other=$(type3_memdevs | grep -vx "$m" | head -n1)
	[ -n "$other" ] || ktap_exit_fail_msg "no second Type-3 memdev to hold cxl_bus_wq with"
	hold=cxl_detach_ep holder="$other's detach"
	trap 'window_close cxl_detach_ep; stress_teardown >/dev/null 2>&1' EXIT
fi
echo "# $m on $pci, $holder held $delay ms"
hits=0
hold_begin() { # the worker takes the holder's detach, and sits in it
	if [ -n "$ACCEL" ]; then
		accel_in_cxl_mode || return 1
		window_open "$hold" "$delay" || return 1
		echo "$AMEM" >"$CXL/drivers/cxl_mem/unbind" || { echo "# unbind cxl_mem from $AMEM failed"; return 1; }
	else
		attached "$other" || return 1
		window_open "$hold" "$delay" || return 1
		echo "$EP" >"$CXL/drivers/cxl_port/unbind" || { echo "# unbind of $EP failed"; return 1; }
	fi
}
hold_end() {
	window_close "$hold"
	cxl_flush
	if [ -n "$ACCEL" ]; then
		accel_gone
	else
		detached "$other" || return 1
		bind_again "$CXL/drivers/cxl_mem" "$other" || return 1
		attached "$other"
	fi
}
cycle() {
	local ep
	attached "$m" || return 1
	ep=$EP
	hold_begin || return 1
	echo "$ep" >"$CXL/drivers/cxl_port/unbind" || { echo "# first unbind of $ep failed"; return 1; }
	if echo "$ep" 2>/dev/null >"$CXL/drivers/cxl_port/bind"; then
		echo "$ep" >"$CXL/drivers/cxl_port/unbind" || { echo "# second unbind of $ep failed"; return 1; }
		[ ! -e "$CXL/devices/$ep" ] || hits=$((hits + 1))
	elif [ -e "$CXL/devices/$ep" ]; then
		echo "# bind of $ep failed"
		return 1
	else
		# only the memdev's detach takes the endpoint away: a guest too
		# slow for the hold let it run first, and the cycle missed
		echo "# $ep gone before its bind: the held detach ended first"
	fi
	hold_end || return 1
	detached "$m" || return 1
	bind_again "$CXL/drivers/cxl_mem" "$m" || return 1
	attached "$m" || return 1
	accel_back
}
ktap_test_result "$cycles cycles: an endpoint unbound, bound and unbound again while its memdev's detach is queued; the detach runs once" \
	stress_loop "endpoint unbind, bind, unbind behind a held detach" "$cycles" cycle
echo "# the second unbind found the first detach still queued in $hits of $cycles cycles"
ktap_test_result "the window was hit: the endpoint was still registered after its second unbind" \
	test "$hits" -gt 0

# Unregister the memdev, and register its function's memdev again
echo "$pci" >/sys/bus/pci/drivers/cxl_pci/unbind &&
	echo "$pci" >/sys/bus/pci/drivers/cxl_pci/bind
cxl_flush
# shellcheck disable=SC2016 # expanded by eval, when the check runs
ktap_test_result "$pci's memdev is $m again once cxl_pci rebinds: no reference on it was left" \
	eval 'settles attached "$m"'
stress_end
