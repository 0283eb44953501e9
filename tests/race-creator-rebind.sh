#!/bin/bash
# shellcheck disable=SC2317 # functions called through stress_loop and ktap_test_result
# A detach request meant for one binding of the accelerator never releases
# a later binding with an attached memdev. Unbinding cxl_mem from the
# accelerator's memdev queues its detach work, which checks under the
# accelerator's device lock that the memdev is still registered, drops the
# lock, and unbinds the accelerator. Meanwhile this task unbinds and binds
# the accelerator itself.
#
# The window between the work's check and its release is held open without
# touching the kernel: the work prints its debug message there, so with
# that one dynamic debug site enabled and kernel.printk_delay set, it waits
# there for RACE_DELAY_MS. Each cycle then ends one of three ways:
#   work first:    the work released the accelerator before our unbind,
#                  which finds it unbound; our bind gives CXL mode;
#   creator first: our unbind came before the work's check, which leaves
#                  the new binding alone;
#   in the window: our unbind and bind landed between the work's check and
#                  its release. The bind must be deferred (-EPROBE_DEFER,
#                  which a sysfs bind reports as EAGAIN), and the work
#                  must then probe the accelerator again: CXL mode once
#                  cxl_bus_wq is idle. If it attached, that binding must
#                  survive the work.
# A binding in CXL mode right after our bind must still be bound, in CXL
# mode with the same memdev, once cxl_bus_wq is idle. The window must be
# hit at least once, or the run proves nothing.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

cycles=$(stress_cycles 12)
delay=${RACE_DELAY_MS:-600}
creator_window_begin 5

declare -A seen=([work first]=0 [creator first]=0 [deferred]=0)
err=$(mktemp)
cycle() {
	local unbound=0 bound=0 mode mem
	accel_in_cxl_mode || return 1
	accel_mem
	echo "$AMEM" >"$CXL/drivers/cxl_mem/unbind" || { echo "# unbind cxl_mem from $AMEM failed"; return 1; }
	echo "$ACCEL" >"$ACCEL_DRV/unbind" 2>/dev/null && unbound=1
	echo "$ACCEL" >"$ACCEL_DRV/bind" 2>"$err" && bound=1
	accel_mode_now
	mode=$AMODE
	accel_mem
	mem=$AMEM
	cxl_flush
	if [ "$bound" = 0 ]; then
		grep -q 'temporarily unavailable' "$err" || { echo "# bind failed: $(<"$err")"; return 1; }
		seen[deferred]=$((seen[deferred] + 1))
		# The work probed it again once its release was done
		accel_in_cxl_mode || { echo "# the deferred bind was not probed again"; return 1; }
		return 0
	fi
	# Our bind succeeded: nothing may release that binding now
	if ! accel_in_cxl_mode >/dev/null || { [ -n "$mem" ] && [ "$AMEM" != "$mem" ]; }; then
		accel_mode_now
		echo "# our bind succeeded (right after it: mode $mode, memdev '$mem'), then a detach meant for the binding before released it (after cxl_bus_wq ran: mode $AMODE, memdev '$AMEM')"
		return 1
	fi
	if [ "$unbound" = 0 ]; then
		# shellcheck disable=SC1102 # arithmetic, not a command substitution: bash takes the key with its space
		seen[work first]=$((seen[work first] + 1))
	else
		# shellcheck disable=SC1102 # arithmetic, not a command substitution: bash takes the key with its space
		seen[creator first]=$((seen[creator first] + 1))
	fi
}
window_hit() {
	local k
	for k in "work first" "creator first" deferred; do echo "# $k: ${seen[$k]}"; done
	[ "${seen[deferred]}" -gt 0 ] || { echo "# no cycle landed in the window"; return 1; }
}

ktap_test_result "the window is held open (dynamic debug in detach_memdev_creator, printk_delay ${delay} ms)" \
	window_open detach_memdev_creator "$delay"
ktap_test_result "$cycles times: a bind after the detach request is deferred or survives it" \
	stress_loop "creator rebind against its detach" "$cycles" cycle
ktap_test_result "a bind landed in the window between the detach's check and its release" window_hit
window_close detach_memdev_creator
rm -f "$err"
trap 'stress_teardown >/dev/null 2>&1' EXIT
stress_end
