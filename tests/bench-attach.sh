#!/bin/bash
# Benchmark (scripts/bench.sh, scenario bench): attach latency and
# determinism of the Type-3 memdevs, over cxlbench.cycles= cycles (default
# 10) after one warm-up cycle. A cycle loads cxl_acpi, then times from the
# start of "modprobe cxl_pci" until every memdev is bound to cxl_mem with its
# endpoint bound to cxl_port. Where cxl_pci does not bring cxl_mem along (the
# base), "modprobe cxl_mem" follows it, as a udev-less boot would need.
# Per cycle, in ms: pci (modprobe cxl_pci), mem (modprobe cxl_mem, base
# only), settle (from the last modprobe's return to all attached), attach
# (the whole, less the look at the base's state after cxl_pci), unload
# (cxl_reset); on_pci, 1 if all were attached when modprobe cxl_pci
# returned, and on_return, the same when the last modprobe returned.
# shellcheck source=tests/lib/bench.sh
. "$(dirname "$0")/lib/bench.sh"

cycles=$(bench_arg cycles 10)
ktap_print_header
ktap_set_plan "$cycles"
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
want=$(type3_pci | wc -l)
ktap_print_msg "Type-3 functions: $want"
[ "$want" -ge 1 ] || ktap_exit_fail_msg "no Type-3 function"

for ((c = 0; c <= cycles; c++)); do
	modprobe cxl_acpi || ktap_exit_fail_msg "modprobe cxl_acpi failed"
	t0=$EPOCHREALTIME
	modprobe cxl_pci || ktap_exit_fail_msg "modprobe cxl_pci failed"
	t1=$EPOCHREALTIME
	t2=$t1 loaded_mem=0 look=0
	if [ ! -d /sys/module/cxl_mem ]; then
		# A look at the instant cxl_pci returned; its few ms do not count.
		bench_scan
		t1look=$EPOCHREALTIME
		on_pci=0
		bench_all_attached "$want" && on_pci=1
		modprobe cxl_mem || ktap_exit_fail_msg "modprobe cxl_mem failed"
		t2=$EPOCHREALTIME
		loaded_mem=1 look=$((${t1look//[.,]/} - ${t1//[.,]/}))
	fi
	bench_wait_attached "$want" "$t2"
	[ "$loaded_mem" = 1 ] || on_pci=$BENCH_ON_START
	if [ "$c" -eq 0 ]; then	# warm-up: page cache, module loader
		ktap_print_msg "warm-up cycle: cxl_mem loaded separately: $loaded_mem," \
			"attached on return: $BENCH_ON_START"
	else
		bench_ms pci "$t0" "$t1"
		[ "$loaded_mem" = 0 ] || bench_ms mem "$t1look" "$t2"
		if [ -n "$BENCH_DONE" ]; then
			bench_ms settle "$t2" "$BENCH_DONE"
			bench_ms attach "$t0" "$BENCH_DONE" "$look"
		fi
		echo "# bench on_pci $on_pci"
		bench_cycle_result "$want" "cycle $c: $want memdevs attached"
	fi
	bench_unload "$c" "could not unload the CXL modules" cxl_reset
done
ktap_finished
