# shellcheck shell=bash
# The delay injector: tests/kmod/kprobe_delay.ko, which makes the task
# that calls one of the listed functions sleep before it (or, for
# "<symbol>%return", after it) to widen a race window, and counts each
# site's calls. Load it once the modules whose
# functions it probes are loaded; unload it before they go.
DELAY_HITS=/sys/kernel/debug/kprobe_delay/hits
DELAY_PARAMS=/sys/module/kprobe_delay/parameters

# delay_load <delay_us> <every> <site>...: fails, naming them, when a site
# could not be probed
delay_load() {
	local us=$1 every=$2 sites absent
	shift 2
	sites=$(IFS=,; echo "$*")
	modprobe kprobe_delay sites="$sites" delay_us="$us" every="$every" ||
		{ echo "# could not load kprobe_delay sites=$sites"; return 1; }
	absent=$(grep ' absent$' "$DELAY_HITS")
	[ -z "$absent" ] || { say_lines "not probed: " "$absent"; return 1; }
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
delay_await() { # <site> <n> <ms>
	local t=${EPOCHREALTIME/./} end
	end=$((10#$t / 1000 + $3))
	while delay_hits "$1"; [ "$DHITS" -le "$2" ]; do
		t=${EPOCHREALTIME/./}
		[ $((10#$t / 1000)) -lt "$end" ] || return 1
	done
}
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

# held_probe <memX> <site> <teardown>: unbind cxl_mem from <memX>, then
# bind it again with its probe held for $DELAY_HOLD_US at <site>, and run
# "<teardown>" the moment the probe gets there. DELAY_HELD=1 when it did.
# The delay stays armed only for the held bind. Fails when the bind task
# does not end.
DELAY_HOLD_US=1500000
held_probe() {
	local m=$1 site=$2 pid
	DELAY_HELD=0
	echo "$m" >"$CXL/drivers/cxl_mem/unbind" && cxl_flush && detached "$m" || return 1
	delay_hits "$site"
	local n=$DHITS
	delay_set "$DELAY_HOLD_US"
	echo "$m" >"$CXL/drivers/cxl_mem/bind" 2>/dev/null &
	pid=$!
	if delay_await "$site" "$n" 10000; then
		# shellcheck disable=SC2034 # DELAY_HELD: for the callers
		"$3" && DELAY_HELD=1
	fi
	wait_pids 60 "$pid"
	delay_set 0
}
