#!/bin/bash
# Benchmark (scripts/bench.sh, scenario cxl_test): tools/testing/cxl's mock
# topology, over cxlbench.cycles= cycles (default 10) after one warm-up
# cycle. Per cycle, in ms: load ("modprobe cxl_test; modprobe cxl_mock_mem",
# as udev would load the mock memdev driver), attach (from the start of the
# load until all 11 mock memdevs are attached), unload (everything out);
# and on_return, 1 if all were attached when the load returned.
# shellcheck source=tests/lib/bench.sh
. "$(dirname "$0")/lib/bench.sh"

want=11
# Everything out: the mock modules, the CXL ones, then cxl_mock, which the
# cxl_test builds of the CXL modules use.
# shellcheck disable=SC2317 # called by bench_unload
unload() {
	modprobe -r cxl_mock_mem cxl_test && cxl_reset &&
		{ [ ! -d /sys/module/cxl_mock ] || modprobe -r cxl_mock; }
}

cycles=$(bench_arg cycles 10)
ktap_print_header
ktap_set_plan "$cycles"
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"

for ((c = 0; c <= cycles; c++)); do
	t0=$EPOCHREALTIME
	{ modprobe cxl_test && modprobe cxl_mock_mem; } || ktap_exit_fail_msg "could not load cxl_test"
	t1=$EPOCHREALTIME
	bench_wait_attached "$want" "$t1"
	if [ "$c" -eq 0 ]; then	# warm-up: page cache, module loader
		ktap_print_msg "warm-up cycle: attached on return: $BENCH_ON_START"
	else
		bench_ms load "$t0" "$t1"
		[ -z "$BENCH_DONE" ] || bench_ms attach "$t0" "$BENCH_DONE"
		bench_cycle_result "$want" "cycle $c: $want mock memdevs attached"
	fi
	bench_unload "$c" "could not unload cxl_test" unload
done
ktap_finished
