#!/usr/bin/env bash
# make bench: memdev attach latency and determinism, the base beside the
# series, on one kernel image. One guest per (case, module set) runs
# tests/bench-*.sh, which print per-cycle numbers as "# bench <name> <value>";
# this script collects them and prints one table of medians (min..max), the
# series/base ratio and the time per device, then the verdict on each target.
#
# Cases: hw-<n> is scenarios/bench.sh with n emulated Type-3 devices (in-tree
# modules, tests/bench-attach.sh), one per root port; scale-32 is 32 below 4
# switches (scenarios/hw-scale.sh's topology); cxl_test is tools/testing/cxl's mock
# topology (scenarios/cxl_test.sh, tests/bench-cxl-test.sh).
#
# Environment: BENCH_CYCLES (default 10) measured cycles per guest, after one
# warm-up; BENCH_DEVICES (default "1 4 8 32") device counts; BENCH_CXL_TEST=0
# skips cxl_test; BENCH_BUILD=0 skips the tree/kernel/module steps;
# BENCH_LOOP=1 also times an edit-rebuild-retest loop (see loop_time).
#
# Writes build/runs/bench-<date>/ (build/runs/bench-latest points at it):
# summary.txt (what is printed), raw.tsv (case, set, step, value per cycle),
# the kernel image and module trees it ran, and per set and case the
# guest's console.log and results/.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

CYCLES=${BENCH_CYCLES:-10}
DEVICES=${BENCH_DEVICES:-1 4 8 32}
S=$TOP/scripts
run=$BUILD/runs/bench-$(date +%Y%m%d-%H%M%S)
raw=$run/raw.tsv	# case <TAB> set <TAB> step <TAB> value
runs=$run/runs.tsv	# case <TAB> set <TAB> verdict of the guest's test
mkdir -p "$run"
ln -sfn "$run" "$BUILD/runs/bench-latest"
: >"$raw"
: >"$runs"
began=$SECONDS

if [ "${BENCH_BUILD:-1}" = 1 ]; then
	"$S/tree.sh"
	"$S/build-kernel.sh"
	for set in series base; do "$S/install-modules.sh" "$set"; done
fi

# Both sets boot this one image; the base differs only in drivers/cxl. The
# image and the module trees are copied first: builds that others start
# during the bench do not change what it measures.
mkdir -p "$run/modules"
cp "${KERNEL:-$BUILD/obj/arch/x86/boot/bzImage}" "$run/bzImage"
cp -a "$BUILD/modules/base" "$BUILD/modules/series" "$run/modules/"
export KERNEL=$run/bzImage
# no_timer_check: on a busy host a TCG guest can miss the boot-time timer
# check and panic ("IO-APIC + timer doesn't work").
export EXTRA_KERNEL_ARGS="cxlbench.cycles=$CYCLES no_timer_check"
# One guest at a time on an idle host: both vCPUs on host threads of
# their own, so that asynchronous probes run in parallel as on hardware
# (scripts/run-guest.sh's TCG_THREAD).
export TCG_THREAD=${TCG_THREAD:-multi}
export RUN_TEST_TIMEOUT=$((300 + (CYCLES + 1) * 120)) RUN_TIMEOUT=$((600 + (CYCLES + 1) * 120))

# guest <case> <set> <scenario> <flavor> <test>: one guest run; its numbers
# go to raw.tsv, its verdict to runs.tsv.
guest() {
	local case=$1 set=$2 scenario=$3 flavor=$4 t=$5 dir=$run/$2/$1 err try
	mkdir -p "$run/$set"
	for try in 1 2; do	# a guest that never reached its test boots again, once
		err=""
		"$S/run-guest.sh" "$scenario" "$run/modules/$set/$flavor" "$dir" "$t" 2>"$dir.log" ||
			err=$(tail -n1 "$dir.log" | sed 's/^error: //')
		cat "$dir.log" >&2
		if [ -z "$err" ] || [ -e "$dir/results/boot.dmesg" ] || [ "$try" = 2 ]; then break; fi
		mv "$dir/console.log" "$dir/console-failed-boot.log"
		log "$case $set: the guest did not boot, once more"
	done
	[ ! -e "$dir/results/$t.ktap" ] ||
		sed -n "s/^# bench \([a-z_]*\) \([0-9.]*\)\$/$case\t$set\t\1\t\2/p" \
			"$dir/results/$t.ktap" >>"$raw"
	printf '%s\t%s\t%s\n' "$case" "$set" "$("$S/judge.sh" "$dir/results" "$t" "$err")" >>"$runs"
	# Other work on the host slows the guests down: keep a trace of it.
	printf '%s\t%s\t%s\n' "$case" "$set" "$(cut -d' ' -f2 /proc/loadavg)" >>"$run/load.tsv"
}

# Interleaved, so that base and series of one case run close in time.
for n in $DEVICES; do
	for set in base series; do
		c=hw-$n
		[ "$n" != 32 ] || c=scale-32	# another topology: scenarios/bench.sh
		BENCH_DEVICES=$n guest "$c" "$set" bench intree bench-attach
	done
done
if [ "${BENCH_CXL_TEST:-1}" = 1 ]; then
	for set in base series; do
		guest cxl_test "$set" cxl_test cxl_test bench-cxl-test
	done
fi

# The edit-rebuild-retest loop: a one-line edit of a file the series
# changes (a MODULE_INFO tag, so the object really changes), then make check
# on the hw scenario without the static gate; the file is restored after.
loop_time() {
	local f=$SRC/drivers/cxl/mem.c t0=$SECONDS rc=0
	cp -p "$f" "$run/loop-mem.c.orig"
	# shellcheck disable=SC2064 # the paths, now
	trap "cp -p '$run/loop-mem.c.orig' '$f'" EXIT
	trap 'exit 130' INT TERM HUP
	echo "MODULE_INFO(bench_edit, \"$(date +%s)\");" >>"$f"
	SCENARIOS=hw GATE=0 "$S/check.sh" >"$run/loop.log" 2>&1 || rc=$?
	cp -p "$run/loop-mem.c.orig" "$f"
	trap - EXIT
	printf 'loop: one-line edit of %s, make check SCENARIOS=hw GATE=0: %dm %02ds (exit %d, log %s)\n' \
		"${f#"$SRC"/}" $(((SECONDS - t0) / 60)) $(((SECONDS - t0) % 60)) "$rc" "$run/loop.log"
}

# The table and the verdicts, of raw.tsv and runs.tsv (scripts/bench-table.awk).
table() {
	awk -v cycles="$CYCLES" -f "$S/bench-table.awk" "$raw" "$runs"
}

{
	echo "make bench, $(date '+%Y-%m-%d %H:%M'): $CYCLES cycles per cell after one warm-up," \
		"one kernel image (bzImage sha256 $(sha256sum "$KERNEL" | cut -c1-12))"
	mapfile -t loads < <(cut -f3 "$run/load.tsv" | sort -n)
	[ ${#loads[@]} = 0 ] ||
		echo "host load (5-min average after each guest, 2 cores): ${loads[0]}..${loads[-1]}"
	table
	[ "${BENCH_LOOP:-0}" != 1 ] || loop_time
	t=$((SECONDS - began))
	printf 'bench took %dm %02ds; raw numbers: %s\n' $((t / 60)) $((t % 60)) "$raw"
} | tee "$run/summary.txt"
