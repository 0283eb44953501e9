#!/bin/bash
# shellcheck disable=SC2317 # functions called through stress_loop and ktap_test_result
# A bind of the accelerator that lands while the detach work of its previous
# binding is releasing it is not lost: devm_cxl_add_memdev() defers that
# probe, and the work probes the accelerator again once its release is
# done. Unbinding cxl_mem from the accelerator's memdev queues the work;
# kprobe_delay holds every device_release_driver() for a while after it
# returns, the work's own release of the accelerator included, and this
# task binds the accelerator the moment it is unbound. That bind lands
# between the work's release and the end of its record of the detach. The
# hierarchy is intact, so once cxl_bus_wq is idle the accelerator must be
# bound again, in CXL mode. Every cycle must land in that window.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"
# shellcheck source=tests/lib/delay.sh
. "$(dirname "$0")/lib/delay.sh"

cycles=$(stress_cycles 4)
hold_us=${RACE_HOLD_US:-1000000}
creator_window_begin 5
trap 'delay_unload; stress_teardown >/dev/null 2>&1' EXIT

accel_unbound_now() { [ ! -e "/sys/bus/pci/devices/$ACCEL/driver" ]; }

hits=0
err=$(mktemp)
cycle() {
	accel_in_cxl_mode || return 1
	accel_mem
	delay_set "$hold_us"
	echo "$AMEM" >"$CXL/drivers/cxl_mem/unbind" ||
		{ delay_set 0; echo "# unbind cxl_mem from $AMEM failed"; return 1; }
	if spin_until 20000 accel_unbound_now; then
		# Refused: the work had not yet finished with its release
		echo "$ACCEL" >"$ACCEL_DRV/bind" 2>"$err" || hits=$((hits + 1))
	else
		echo "# the accelerator was not unbound within 20 s"
	fi
	delay_set 0
	cxl_flush
	accel_in_cxl_mode || { echo "# our bind: $(<"$err")"; return 1; }
}

ktap_test_result "kprobe_delay holds device_release_driver() after it returns" \
	delay_load 0 1 'device_release_driver%return'
ktap_test_result "$cycles times: a bind during the release ends bound in CXL mode" \
	stress_loop "creator bind during its detach's release" "$cycles" cycle
delay_report
ktap_test_result "the bind landed in the window in every cycle" \
	count_is "cycles with the bind in the window" "$hits" "$cycles"
delay_unload
rm -f "$err"
trap 'stress_teardown >/dev/null 2>&1' EXIT
stress_end
