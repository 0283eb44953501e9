# shellcheck shell=bash
# The delay injector: tests/kmod/kprobe_delay.ko, which makes the task
# that calls one of the listed functions sleep before it (or, for
# "<symbol>%return", after it) to widen a race window, and counts each
# site's calls. Load it once the modules whose
# functions it probes are loaded; unload it before they go.
DELAY_HITS=/sys/kernel/debug/kprobe_delay/hits
DELAY_PARAMS=/sys/module/kprobe_delay/parameters

# delay_load <delay_us> <every> <site>...: fails, naming them, when a site
# could not be probed, unless DELAY_OPTIONAL (an array) lists it
DELAY_OPTIONAL=()
delay_load() {
	local us=$1 every=$2 sites absent s rc=0
	shift 2
	sites=$(IFS=,; echo "$*")
	modprobe kprobe_delay sites="$sites" delay_us="$us" every="$every" ||
		{ echo "# could not load kprobe_delay sites=$sites"; return 1; }
	absent=$(sed -n 's/ absent$//p' "$DELAY_HITS")
	for s in $absent; do
		case " ${DELAY_OPTIONAL[*]} " in *" $s "*) continue ;; esac
		echo "# not probed: $s"
		rc=1
	done
	return "$rc"
}
delay_unload() { [ ! -d /sys/module/kprobe_delay ] || modprobe -r kprobe_delay; }
delay_set() { echo "$1" >"$DELAY_PARAMS/delay_us"; } # <delay_us>, 0: count only

# DHITS=the calls of <site>, DDELAYED=how many of them waited
# shellcheck disable=SC2034 # DDELAYED: for the callers
delay_hits() { # <site>
	local s h d
	DHITS=0 DDELAYED=0
	while read -r s h d; do
		[ "$s" = "$1" ] && DHITS=$h DDELAYED=$d
	done <"$DELAY_HITS"
	return 0
}
# Spin until <site> has more than <n> hits, for at most <ms>; builtins
# only, so that the caller acts within microseconds of the hit
delay_await() { spin_until "$3" delay_hit_past "$1" "$2"; } # <site> <n> <ms>
delay_hit_past() { delay_hits "$1" && [ "$DHITS" -gt "$2" ]; } # <site> <n>
# <site> has delayed more than <n> calls: a task is in the hold (a call
# is counted before the delay's own count, so a hit alone may not be yet)
delay_held_past() { delay_hits "$1" && [ "$DDELAYED" -gt "$2" ]; } # <site> <n>
# Every site's counts, as KTAP diagnostics
delay_report() {
	local s h d
	while read -r s h d; do
		if [ -n "$d" ]; then
			echo "# delay site $s: $h calls, $d delayed"
		else
			echo "# delay site $s: $h"
		fi
	done <"$DELAY_HITS"
}

# A held-probe race test: held_race_begin <site>... (after stress_begin)
# loads the delays; each cycle is held_probe, then undoes its teardown and
# checks held_attached_again; held_race_end <cycles> reports the window's
# hits and asserts what every such test asserts.
held_race_begin() {
	memdev_count
	HELD_MEMDEVS=$MEMDEVS HELD_HITS=0
	delay_load 0 1 "$@" || ktap_exit_fail_msg "could not load kprobe_delay"
	klog_mark
}
held_attached_again() {
	cxl_flush
	probe_unbound
	accel_back || return 1
	settles all_attached_now && memdevs_are "$HELD_MEMDEVS"
}
held_race_end() { # <cycles>
	echo "# the teardown started while the probe was held in $HELD_HITS of $1 cycles"
	delay_report
	ktap_test_result "nothing freed is read meanwhile (KASAN silent)" klog_quiet
	ktap_test_result "the teardown hit the window in every cycle" \
		count_is "cycles with the teardown in the window" "$HELD_HITS" "$1"
	delay_unload
}

# A hold on one debug message of the CXL modules: held_message_begin
# <every> <dynamic debug query> enables that message alone and probes the
# return of dev_vprintk_emit(), through which every dev_*() message goes
# (__dynamic_dev_dbg() is not traceable), delaying one call in <every>
# once delay_set arms it; held_message_end undoes both.
HELD_MESSAGE_SITE=dev_vprintk_emit%return
HELD_MESSAGE=
held_message_begin() {
	local text=${2##* format }
	text=${text//\\040/ }
	echo "$2 +p" >"$DDEBUG" || ktap_exit_fail_msg "could not enable: $2"
	HELD_MESSAGE=$2
	grep -F "\"$text" "$DDEBUG" | grep -q ' =p' || ktap_exit_fail_msg "no message enabled by: $2"
	delay_load 0 "$1" "$HELD_MESSAGE_SITE" || ktap_exit_fail_msg "could not load kprobe_delay"
	klog_mark
}
held_message_end() {
	[ -z "$HELD_MESSAGE" ] || echo "$HELD_MESSAGE -p" >"$DDEBUG"
	HELD_MESSAGE=
	delay_unload
}

# held_probe <memX> <site> <teardown>: unbind cxl_mem from <memX>, then
# bind it again with its probe held for $DELAY_HOLD_US at <site>, and run
# "<teardown>" the moment the probe gets there (HELD_HITS counts it). The
# delay stays armed only for the held bind. Fails when the bind task does
# not end.
DELAY_HOLD_US=1500000
held_probe() {
	local m=$1 site=$2 pid
	echo "$m" >"$CXL/drivers/cxl_mem/unbind" && cxl_flush && detached "$m" || return 1
	delay_hits "$site"
	local n=$DHITS
	delay_set "$DELAY_HOLD_US"
	echo "$m" >"$CXL/drivers/cxl_mem/bind" 2>/dev/null &
	pid=$!
	if delay_await "$site" "$n" 10000; then
		"$3" && HELD_HITS=$((HELD_HITS + 1))
	fi
	wait_pids 60 "$pid"
	delay_set 0
}
