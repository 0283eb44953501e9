# shellcheck shell=bash
# Helpers for the benchmark tests (tests/bench-*.sh, run by scripts/bench.sh).
# They print one KTAP diagnostic per measurement, "# bench <name> <value>",
# which the host collects. Everything timed here avoids forks: under TCG with
# KASAN an exec costs tens of milliseconds.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "${BASH_SOURCE[0]}")/cxl.sh"

# <name> <default>: value of cxlbench.<name>= on the kernel command line
bench_arg() {
	local a
	for a in $(</proc/cmdline); do
		case $a in "cxlbench.$1="*) echo "${a#*=}"; return ;; esac
	done
	echo "$2"
}

# <name> <start stamp> <end stamp> [<µs not to count>]: one measurement in
# milliseconds. Time stamps are $EPOCHREALTIME ("<s>.<µs>"): a builtin with
# µs resolution and, in a guest without NTP, a clock that only moves forward.
bench_ms() {
	local d=$((${3//[.,]/} - ${2//[.,]/} - ${4:-0}))
	printf '# bench %s %d.%03d\n' "$1" $((d / 1000)) $((d % 1000))
}

# Count the memdevs and those attached (bound to cxl_mem, with an endpoint
# port bound to cxl_port) in BENCH_MEMDEVS and BENCH_ATTACHED: memdev_state
# and all_bound say the same, but fork a few times per memdev.
bench_scan() {
	local m e
	BENCH_MEMDEVS=0 BENCH_ATTACHED=0
	for m in "$CXL"/devices/mem*; do
		[[ ${m##*/} =~ ^mem[0-9]+$ ]] || continue
		BENCH_MEMDEVS=$((BENCH_MEMDEVS + 1))
		[[ $m/driver -ef $CXL/drivers/cxl_mem ]] || continue
		for e in "$CXL"/devices/endpoint*; do
			if [[ $e/uport -ef $m && $e/driver -ef $CXL/drivers/cxl_port ]]; then
				BENCH_ATTACHED=$((BENCH_ATTACHED + 1))
				break
			fi
		done
	done
}
bench_all_attached() { # <expected memdevs>
	[ "$BENCH_MEMDEVS" -eq "$1" ] && [ "$BENCH_ATTACHED" -eq "$1" ]
}

# A 5 ms pause without a fork: a read that times out on a FIFO nobody writes.
[ -p /run/bench.fifo ] || mkfifo /run/bench.fifo
exec {BENCH_FIFO_FD}<>/run/bench.fifo
bench_pause() { read -rt 0.005 -u "$BENCH_FIFO_FD" _ || true; }

# <expected memdevs> <start stamp>: poll from <start> on until every memdev
# is attached, for at most BENCH_POLL_LIMIT seconds. Sets BENCH_ON_START (1
# if all were attached at the first look, at <start>) and BENCH_DONE (the
# stamp taken before the first look that found all attached; empty after the
# limit).
BENCH_POLL_LIMIT=60
# shellcheck disable=SC2034 # BENCH_ON_START is read by the tests
bench_wait_attached() {
	local want=$1 t=$2 end=$((${2//[.,]/} + BENCH_POLL_LIMIT * 1000000))
	BENCH_ON_START=0 BENCH_DONE=""
	bench_scan
	if bench_all_attached "$want"; then
		BENCH_ON_START=1 BENCH_DONE=$t
		return 0
	fi
	while [ "${t//[.,]/}" -lt "$end" ]; do
		bench_pause
		t=$EPOCHREALTIME
		bench_scan
		bench_all_attached "$want" && { BENCH_DONE=$t; return 0; }
	done
	return 1
}

# <expected memdevs> <description>: the cycle's on_return (BENCH_ON_START),
# then the KTAP result of the cycle, judged by cxl.sh's own
# memdev_state/all_bound; prints the state if it is not all attached.
bench_cycle_result() {
	local want=$1 state
	echo "# bench on_return $BENCH_ON_START"
	state=$(memdev_state)
	if [ -n "$BENCH_DONE" ] && count_is memdevs "$(grep -c . <<<"$state")" "$want" &&
		all_bound "$state"; then
		ktap_test_pass "$2"
	else
		printf '# state: %s\n' "${state:-no memdev}"
		ktap_test_fail "$2"
	fi
}

# <cycle> <bail-out message> <command...>: the command that unloads what a
# cycle loaded, timed as "unload" (not in the warm-up cycle 0); bails out
# with the message if it fails.
bench_unload() {
	local c=$1 msg=$2 u0 u1
	shift 2
	u0=$EPOCHREALTIME
	"$@" || ktap_exit_fail_msg "$msg"
	u1=$EPOCHREALTIME
	[ "$c" -eq 0 ] || bench_ms unload "$u0" "$u1"
}
