#!/bin/bash
# shellcheck disable=SC2317 # functions called through ktap_test_result
# A port's CDAT table is devm memory of the port's binding. Unbind cxl_port
# from a memdev's endpoint and, while the memdev detach that the unbind
# queued is held (kprobe_delay at detach_memdev(), for HOLD_MS), bind the
# endpoint again with the Nth allocation of the bind failing (fail-nth),
# N = 1, 2, ... until an N fails read_cdat_data() while the probe goes on;
# then cxl_endpoint_parse_cdat() parses the table: an endpoint that still names
# its previous binding's table reads freed memory (KASAN); one that forgot
# it parses none. Each cycle then lets the detach run and attaches the
# memdev again. That N must come up, or the run proves nothing. It is 5 or
# 6 on emulated hardware, but not fixed: a bind makes an allocation more or
# less before it from one run to the next (CI once saw N=5 fail a sysfs
# link and N=6 the parse after the read), so N goes from 1 to PASS_N in up
# to PASSES passes. (The rest of the bind's allocations are
# tests/fault-cxl-mem-bind.sh's.)
# patches/fixes/: "Forget the CDAT table of a port's previous binding".
# Found by tests/chaos.sh (SOAK=1).
# shellcheck source=tests/lib/fault.sh
. "$(dirname "$0")/lib/fault.sh"
# shellcheck source=tests/lib/delay.sh
. "$(dirname "$0")/lib/delay.sh"

ktap_print_header
is_cxl_test && ktap_skip_all "cxl_test's mock ports have no CDAT"
fault_begin 5
trap 'delay_unload; fault_teardown; stress_teardown >/dev/null 2>&1' EXIT

m=$(type3_memdevs | head -n1)
[ -n "$m" ] || ktap_exit_fail_msg "no Type-3 memdev"
cdat_bytes() { wc -c <"$CXL/devices/$1/CDAT" 2>/dev/null || echo 0; }
ep=$(endpoint_of "$m")
ktap_test_result "$m's endpoint ${ep:-(none)} has a CDAT table ($(cdat_bytes "$ep") bytes)" \
	test -n "$ep" -a "$(cdat_bytes "$ep")" -gt 0
memdev_count
start_memdevs=$MEMDEVS
# The held detach must not run before a cycle's checks are done: a bind
# and its checks took 2 s under KASAN in a guest that shared its cores
# with another and with a host busy elsewhere, more than the 1 s hold this
# test had. A cycle counts only when its checks ended well inside the hold.
HOLD_MS=3000
delay_load $((HOLD_MS * 1000)) 1 detach_memdev || ktap_exit_fail_msg "could not hold detach_memdev()"
klog_mark

# A bind in the window queues a detach of its own when the held one
# unbinds it: probe until both have run
attached_again() { probe_unbound; cxl_flush; all_attached_now; }

# Opened before fail-nth is armed: an open allocates
exec {BIND_FD}>"$CXL/drivers/cxl_port/bind" {NULL_FD}>/dev/null
injected=0 without=0 end=0 slow=0 pass=1
PASS_N=10 PASSES=3
for ((n = 1; n <= PASS_N; n++)); do
	ep=$(endpoint_of "$m")
	[ -n "$ep" ] || ktap_exit_fail_msg "N=$n: $m has no endpoint"
	delay_hits detach_memdev
	before=$DHITS
	echo "$ep" >"$CXL/drivers/cxl_port/unbind" || ktap_exit_fail_msg "N=$n: could not unbind $ep"
	# The detach is held until the bind is done: the endpoint is still there
	delay_await detach_memdev "$before" 500 || ktap_exit_fail_msg "N=$n: no detach queued by the unbind"
	t0=$(now_ms)
	fault_arm "$n"
	echo "$ep" 1>&"$BIND_FD" 2>&"$NULL_FD"
	fault_disarm
	bound_without=0
	[ -e "$CXL/devices/$ep/driver" ] && [ "$(cdat_bytes "$ep")" = 0 ] && bound_without=1
	# ... and all that while the held detach had not begun to release the
	# memdev (its unbind takes the endpoint down first)
	ms=$(($(now_ms) - t0))
	if [ ! -e "$CXL/devices/$m/driver" ] || [ "$ms" -ge $((HOLD_MS * 2 / 3)) ]; then
		# too slow a cycle proves nothing: the same N again, a few times
		echo "# N=$n: the bind and its checks took $ms ms of the $HOLD_MS ms hold"
		settles attached_again || { echo "# N=$n: the memdevs did not attach again"; break; }
		slow=$((slow + 1))
		[ "$slow" -le 3 ] || { echo "# $slow cycles too slow: giving up"; break; }
		n=$((n - 1))
		continue
	fi
	if [ "$bound_without" = 1 ]; then
		without=$((without + 1))
		echo "# N=$n: $ep bound without its CDAT table"
	fi
	[ "$FAULT_LEFT" = 0 ] && injected=$((injected + 1))
	settles attached_again || { echo "# N=$n: the memdevs did not attach again"; break; }
	[ "$without" = 0 ] || break
	[ "$FAULT_LEFT" = 0 ] || { end=$n; break; }
	# a stale table read (the base): the cycles after it prove no more
	klog_quiet >/dev/null || { echo "# N=$n: a kernel report, no more cycles"; break; }
	if [ "$n" = "$PASS_N" ] && [ "$pass" -lt "$PASSES" ]; then
		pass=$((pass + 1)) n=0
		echo "# no N up to $PASS_N failed the table's read: pass $pass"
	fi
done
exec {BIND_FD}>&- {NULL_FD}>&-
echo "# $injected binds with a failed allocation, each inside the hold ($slow cycles too slow, run again)"
[ "$end" = 0 ] || echo "# the bind ran to its end at N=$end"
delay_report
ktap_test_result "no binding reads the table of the one before (KASAN silent)" klog_quiet
ktap_test_result "an N bound the endpoint without its CDAT table, the detach held meanwhile" \
	test "$without" -gt 0 -a "$slow" -le 3
delay_unload
back_with_cdat() {
	memdevs_are "$start_memdevs" && all_attached_now &&
		test "$(cdat_bytes "$(endpoint_of "$m")")" -gt 0
}
ktap_test_result "every memdev attached again, $m's endpoint with its CDAT table" back_with_cdat
fault_teardown
trap 'stress_teardown >/dev/null 2>&1' EXIT
ktap_test_result "everything unloads" stress_teardown
ktap_finished
