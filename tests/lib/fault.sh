# shellcheck shell=bash
# Fault injection sweeps: make the Nth slab allocation of one sysfs write
# fail (/proc/thread-self/fail-nth with failslab), for N = 1, 2, ... until
# the write runs to completion without reaching N, and check after each
# injected failure that the operation failed cleanly and that the next
# attempt succeeds. Sources tests/lib/stress.sh and the three parts:
#
#   fault-log.sh     the kernel log: markers, and the stack of a fault
#   fault-sweep.sh   the sweep: which N to fail, each attempt, its check
#   fault-report.sh  what the sweep reached, the use pass, the results
#
# This file arms failslab for the test and disarms it again.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "${BASH_SOURCE[0]}")/stress.sh"
shopt -s extglob	# the globs of fault_reached and fault_replay
# shellcheck source=tests/lib/fault-log.sh
. "$(dirname "${BASH_SOURCE[0]}")/fault-log.sh"
# shellcheck source=tests/lib/fault-sweep.sh
. "$(dirname "${BASH_SOURCE[0]}")/fault-sweep.sh"
# shellcheck source=tests/lib/fault-report.sh
. "$(dirname "${BASH_SOURCE[0]}")/fault-report.sh"

FAILSLAB=/sys/kernel/debug/failslab
FAULT_SAVED=()

fault_setup() {
	local f c
	[ -e /proc/thread-self/fail-nth ] && [ -d "$FAILSLAB" ] || return 1
	for f in ignore-gfp-wait verbose verbose_ratelimit_interval_ms cache-filter; do
		FAULT_SAVED+=("$f=$(<"$FAILSLAB/$f")")
	done
	FAULT_SAVED+=("printk=$(cut -f1 /proc/sys/kernel/printk)")
	read -r FAULT_TAINT0 </proc/sys/kernel/tainted
	# GFP_KERNEL allocations are the ones on the path: count them too
	echo N >"$FAILSLAB/ignore-gfp-wait"
	echo 2 >"$FAILSLAB/verbose"
	echo 0 >"$FAILSLAB/verbose_ratelimit_interval_ms"
	# kmemleak's and debugobjects' own caches absorb a failure (a fallback
	# pool, a retry later): leave them out when caches are not merged
	# (slab_nomerge), so that every N is an allocation of the kernel path.
	FAULT_FILTER=no
	if [ -e /sys/kernel/slab/kmemleak_object/failslab ]; then
		FAULT_FILTER=yes
		for f in /sys/kernel/slab/*/failslab; do
			c=${f%/failslab}
			case ${c##*/} in kmemleak_object | debug_objects_cache) continue ;; esac
			echo 1 >"$f" 2>/dev/null || FAULT_FILTER=no
		done
		[ $FAULT_FILTER = no ] || echo Y >"$FAILSLAB/cache-filter"
	fi
	# The stacks are for the kernel log, not for the slow serial console
	echo 4 >/proc/sys/kernel/printk
	# /dev/kmsg starts with what earlier tests logged, their markers
	# included: this test's markers carry its own tag
	FAULT_TAG=$$.$EPOCHSECONDS
	FAULT_LOG=$(mktemp)
	cat /dev/kmsg >"$FAULT_LOG" &
	FAULT_CAT=$!
	exec {FAULT_LOGFD}<"$FAULT_LOG"
	fault_mark start
	fault_collect start
}

# fault_begin <plan>: the topology of stress_begin, recorded in $start,
# with failslab armed for fail-nth; both are undone if the test exits early.
fault_begin() {
	stress_begin "$1"
	fault_setup || ktap_exit_fail_msg "no fail-nth or failslab"
	trap 'fault_teardown; stress_teardown >/dev/null 2>&1' EXIT
}

fault_teardown() {
	local s
	echo 0 >/proc/thread-self/fail-nth
	for s in "${FAULT_SAVED[@]}"; do
		case ${s%%=*} in
		printk) echo "${s#*=}" >/proc/sys/kernel/printk ;;
		*) echo "${s#*=}" >"$FAILSLAB/${s%%=*}" ;;
		esac
	done
	[ -z "${FAULT_CAT:-}" ] || kill "$FAULT_CAT" 2>/dev/null
	rm -f "${FAULT_LOG:-}" "${FAULT_LOG:-}.own"
}
