#!/bin/bash
# shellcheck disable=SC2317 # functions called through ktap_test_result
# A port's CDAT table is devm memory of the port's binding. Unbind cxl_port
# from a memdev's endpoint and, while the memdev detach that the unbind
# queued is held (kprobe_delay at detach_memdev()), bind the endpoint again
# with the Nth allocation of the bind failing (fail-nth), N = 1, 2, ...
# until an N fails read_cdat_data() while the probe goes on; then
# cxl_endpoint_parse_cdat() parses the table: an endpoint that still names
# its previous binding's table reads freed memory (KASAN); one that forgot
# it parses none. Each cycle then lets the detach run and attaches the
# memdev again. That N must come up before the bind runs without reaching
# N, or the run proves nothing. (The rest of the bind's allocations are
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
delay_load 1000000 1 detach_memdev || ktap_exit_fail_msg "could not hold detach_memdev()"
klog_mark

# A bind in the window queues a detach of its own when the held one
# unbinds it: probe until both have run
attached_again() { probe_unbound; cxl_flush; all_attached_now; }

# Opened before fail-nth is armed: an open allocates
exec {BIND_FD}>"$CXL/drivers/cxl_port/bind" {NULL_FD}>/dev/null
injected=0 held=0 without=0 end=0
for ((n = 1; n <= 40; n++)); do
	ep=$(endpoint_of "$m")
	[ -n "$ep" ] || ktap_exit_fail_msg "N=$n: $m has no endpoint"
	delay_hits detach_memdev
	before=$DHITS
	echo "$ep" >"$CXL/drivers/cxl_port/unbind" || ktap_exit_fail_msg "N=$n: could not unbind $ep"
	# The detach is held until the bind is done: the endpoint is still there
	delay_await detach_memdev "$before" 500 || ktap_exit_fail_msg "N=$n: no detach queued by the unbind"
	fault_arm "$n"
	echo "$ep" 1>&"$BIND_FD" 2>&"$NULL_FD"
	fault_disarm
	# The held detach has not released the memdev yet
	[ -e "$CXL/devices/$m/driver" ] && held=$((held + 1))
	if [ -e "$CXL/devices/$ep/driver" ] && [ "$(cdat_bytes "$ep")" = 0 ]; then
		without=$((without + 1))
		echo "# N=$n: $ep bound without its CDAT table"
	fi
	[ "$FAULT_LEFT" = 0 ] && injected=$((injected + 1))
	settles attached_again || { echo "# N=$n: the memdevs did not attach again"; break; }
	[ "$without" = 0 ] || break
	[ "$FAULT_LEFT" = 0 ] || { end=$n; break; }
done
exec {BIND_FD}>&- {NULL_FD}>&-
echo "# $injected binds with a failed allocation, $held before the held detach ran"
[ "$end" = 0 ] || echo "# the bind ran to its end at N=$end"
delay_report
ktap_test_result "no binding reads the table of the one before (KASAN silent)" klog_quiet
ktap_test_result "an N bound the endpoint without its CDAT table, the detach held meanwhile" \
	test "$without" -gt 0 -a "$held" = "$injected"
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
