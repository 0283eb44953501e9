# shellcheck shell=bash disable=SC2034 # result variables, read by the tests
# Helpers for the stress loops, fault injection and race tests: loop counts,
# a whole-topology snapshot to compare the end of a test with its start, and
# the loop driver. Sources tests/lib/cxl.sh.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "${BASH_SOURCE[0]}")/cxl.sh"

# Loop counts: the test's default for emulated hardware or for cxl_test
# (where a cycle attaches eleven memdevs), which fits the make check budget;
# cxlfull=1 (make check-full) runs twice as many, cxlsoak=1 (SOAK=1 on the
# host) ten times as many, and cxlcycles=<n> overrides them all.
STRESS_SOAK=$(cmdline_arg cxlsoak)
STRESS_FULL=$(cmdline_arg cxlfull)
STRESS_CYCLES=$(cmdline_arg cxlcycles)
stress_cycles() { # <default> [<default on cxl_test>]
	local n=$1
	[ $# -lt 2 ] || ! is_cxl_test || n=$2
	if [ -n "$STRESS_CYCLES" ]; then
		echo "$STRESS_CYCLES"
	elif [ "${STRESS_SOAK:-0}" = 1 ]; then
		echo $((n * 10))
	elif [ "${STRESS_FULL:-0}" = 1 ]; then
		echo $((n * 2))
	else
		echo "$n"
	fi
}

say_lines() { # <prefix> <text>: the text as KTAP diagnostics
	local l
	while IFS= read -r l; do echo "# $1$l"; done <<<"$2"
}

# Milliseconds since an arbitrary origin, without an exec.
now_ms() { local t=${EPOCHREALTIME/./}; echo $((10#$t / 1000)); }

# The state a stress test must give back: the memdev names (a leaked memdev
# keeps its id), then per memdev parent (PCI function or cxl_test platform
# device) its driver, the memdev's driver, its endpoint and the endpoint's
# driver, and how many ports of each kind are bound. Endpoint and port ids
# are masked (they are reallocated when the hierarchy is rebuilt), and so is
# which memdev id a parent got (cxl_mock_mem probes in no fixed order).
stress_state() {
	local m d e ed p kind
	echo "memdevs: $(memdevs | sort -V | xargs)"
	memdev_state | while read -r m d e ed; do
		p=$CXL/devices/$m/..
		echo "$(parent_of "$CXL/devices/$m") $(driver_of "$p" || echo -): $d ${e%%[0-9]*} $ed"
	done | sort
	for p in "$CXL"/devices/root* "$CXL"/devices/port* "$CXL"/devices/endpoint*; do
		[ -e "$p" ] || continue
		kind=${p##*/}
		echo "${kind%%[0-9]*} $(driver_of "$p" || echo -)"
	done | sort | uniq -c
	return 0
}

# Compare the state now with a snapshot; print the difference.
same_state() { # <snapshot>
	local now
	now=$(stress_state)
	[ "$now" = "$1" ] && return 0
	echo "# state differs from the start (< start, > now):"
	say_lines "" "$(diff <(echo "$1") <(echo "$now") | grep '^[<>]')"
	return 1
}

# Run "<body> <i>" for i = 1..<count>, stopping at the first failure; print
# what the loop did and how long a cycle took. The body prints its own
# diagnostics when it fails.
stress_loop() { # <what> <count> <body>
	local what=$1 count=$2 body=$3 i t0 ms
	[ "$count" -ge 100 ] || [ -n "$STRESS_CYCLES" ] ||
		echo "# $what: $count cycles, not 100: more do not fit this scenario's make check budget (make check-full runs twice as many, SOAK=1 ten times)"
	t0=$(now_ms)
	for ((i = 1; i <= count; i++)); do
		"$body" "$i" || { echo "# $what: cycle $i of $count failed"; return 1; }
	done
	ms=$(($(now_ms) - t0))
	echo "# $what: $count cycles in $((ms / 1000)) s, $((ms / count)) ms per cycle"
}

# More per-cycle checks, builtins only like attached() in tests/lib/cxl.sh.
detached() { # <memX>: registered, unbound, no endpoint
	[ -d "$CXL/devices/$1" ] || { echo "# $1 is gone"; return 1; }
	unbound "$CXL/devices/$1" || return 1
	ep_of "$1"
	[ -z "$EP" ] || { echo "# $1 still has $EP"; return 1; }
}
every_memdev() { # <check>: run it on every memdev; fails when there is none
	local d n=0
	for d in "$CXL"/devices/mem*; do
		[ -e "$d" ] || continue
		"$1" "${d##*/}" || return 1
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || { echo "# no memdev to check"; return 1; }
}
all_attached_now() { every_memdev attached; }
memdev_count() { # MEMDEVS=the number of memdevs
	local d
	MEMDEVS=0
	for d in "$CXL"/devices/mem*; do [ -e "$d" ] && MEMDEVS=$((MEMDEVS + 1)); done
	return 0
}
memdevs_are() { # <n>
	memdev_count
	[ "$MEMDEVS" = "$1" ] || { echo "# $MEMDEVS memdevs, expected $1"; return 1; }
}
cxl_devices() { # DEVS=the names under /sys/bus/cxl/devices, one line
	local a=("$CXL"/devices/*)
	DEVS=${a[*]##*/}
}

# Bind <device> to <driver dir>; when the write fails, say how
BIND_ERR=/tmp/bind.err.$$
bind_again() { # <driver dir> <device>
	echo "$2" 2>"$BIND_ERR" >"$1/bind" && return 0
	echo "# bind of $2 to ${1##*/}: $(<"$BIND_ERR")"
	return 1
}

# The accelerator, the same way (accel_in_cxl_mode: tests/lib/cxl.sh)
accel_gone() { # unbound, and its memdev gone
	unbound "/sys/bus/pci/devices/$ACCEL" || return 1
	accel_mem
	[ -z "$AMEM" ] || { echo "# memdev left behind: $AMEM"; return 1; }
}

# Poll <command...> for up to 10 s (for states reached through cxl_bus_wq).
settles() {
	local i
	cxl_flush
	for ((i = 0; i < 50; i++)); do
		"$@" >/dev/null && return 0
		snooze 0.2
		cxl_flush
	done
	"$@"
}
# sleep(1) without an exec
exec {SNOOZE_FD}<> <(:)
snooze() { read -rt "$1" -u "$SNOOZE_FD" _ || :; }

# The cxl_acpi root device: ACPI0017 on hardware, cxl_acpi.0 in cxl_test
cxl_root_dev() {
	local d
	for d in /sys/bus/platform/devices/ACPI0017:* /sys/bus/platform/devices/cxl_acpi.0; do
		[ -e "$d" ] && { echo "${d##*/}"; return 0; }
	done
	return 1
}

# The topology the stress tests start from and must give back. On emulated
# hardware: cxl_acpi, cxl_pci and the mock accelerator in CXL mode
# (accel_setup, which sets $ACCEL; accel_up), or with cxlaccel=0 (scenarios/fixes.sh,
# whose base has no cxl_mock_accel) every function a Type-3 device of
# cxl_pci, with cxl_mem loaded by hand as the base needs; in cxl_test: its
# mock topology ($ACCEL empty).
is_cxl_test() { modinfo -F filename cxl_test >/dev/null 2>&1; }
STRESS_ACCEL=$(cmdline_arg cxlaccel)
stress_setup() {
	ACCEL=
	if is_cxl_test; then
		trap 'stress_teardown >/dev/null 2>&1' EXIT
		modprobe cxl_test && modprobe cxl_mock_mem || return 1
	elif [ "$STRESS_ACCEL" = 0 ]; then
		trap 'stress_teardown >/dev/null 2>&1' EXIT
		modprobe cxl_acpi && modprobe cxl_pci && modprobe cxl_mem || return 1
	else
		# shellcheck disable=SC2119 # no module parameters
		accel_setup || return 1
		accel_up || return 1
		# cxl_probe_accel keeps no memdev: reload cxl_pci, so that the
		# memdevs of its functions have the lowest free ids, as they do
		# after any rebind (stress_state compares the ids, to catch leaks)
		[ "$ACCEL_MOD" != cxl_probe_accel ] || { modprobe -r cxl_pci && modprobe cxl_pci; } || return 1
	fi
	settles all_attached_now
}
stress_teardown() {
	trap - EXIT
	if [ -n "${ACCEL:-}" ]; then
		accel_teardown
	else
		! is_cxl_test || modprobe -r "${MOCK_MODULES[@]}"
		cxl_reset
	fi
}

# A memdev of a Type-3 device (not the accelerator's) for a test to cycle
# on its own: the first one in no region. A member of an auto-assembled
# region that leaves and rejoins it trips a base bug outside the attach path
# (patches/fixes/0000-cover-letter.patch), which cxl_test reaches: its mock commits the
# region's decoders again at every endpoint probe.
type3_memdev() {
	local m
	for m in $(type3_memdevs); do
		in_region "$m" || { echo "$m"; return 0; }
	done
	type3_memdevs | head -n1
}
in_region() { # <memX>: a decoder of its endpoint belongs to a region
	local e r
	e=$(endpoint_of "$1")
	[ -n "$e" ] || return 1
	for r in "$CXL/devices/$e"/decoder*/region; do
		[ -n "$(cat "$r" 2>/dev/null)" ] && return 0
	done
	return 1
}

# Bring an accelerator detached by a teardown back, in CXL mode (accel_up)
accel_back() {
	[ -n "${ACCEL:-}" ] || return 0
	[ -e "/sys/bus/pci/devices/$ACCEL/driver" ] || echo "$ACCEL" >"$ACCEL_DRV/bind"
	accel_up
}
# Hold a race window open without touching the kernel: enable the debug
# message(s) of <func> that sit in the window, and delay every printk by
# <ms> (kernel.printk_delay), so a task passing there waits <ms> in it.
DDEBUG=/sys/kernel/debug/dynamic_debug/control
window_open() { # <func> <ms>
	# shellcheck disable=SC2015 # the message is for either control missing
	[ -w "$DDEBUG" ] && [ -w /proc/sys/kernel/printk_delay ] ||
		{ echo "# no dynamic debug control or printk_delay"; return 1; }
	grep -q "]$1 " "$DDEBUG" || { echo "# no dynamic debug site in $1"; return 1; }
	echo "func $1 +p" >"$DDEBUG" && echo "$2" >/proc/sys/kernel/printk_delay
}
window_close() { # <func>
	echo 0 >/proc/sys/kernel/printk_delay
	echo "func $1 -p" >"$DDEBUG"
}
# The start of a test that holds the accelerator's creator detach open
# (emulated hardware only): the header, the plan, the topology, and a
# teardown that closes the window whatever happens.
creator_window_begin() { # <plan>
	ktap_print_header
	is_cxl_test && ktap_skip_all "no accelerator in cxl_test"
	stress_begin "$1"
	trap 'window_close detach_memdev_creator; stress_teardown >/dev/null 2>&1' EXIT
}

# Whether the kernel logged a report (KASAN, lockdep, WARN, BUG) since a
# mark: for a test whose subtest names what such a report means. The
# harness fails any test with a report in its log, whatever it says.
KLOG_RE='BUG: |WARNING:|general protection fault|possible circular locking|possible recursive locking'
klog_mark() { KLOG_MARK="cxl-test: $$.$EPOCHSECONDS"; echo "$KLOG_MARK" >/dev/kmsg; }
klog_quiet() {
	local r
	r=$(dmesg | sed -n "/$KLOG_MARK/,\$p" | grep -m1 -E "$KLOG_RE")
	[ -z "$r" ] || { echo "# kernel report: $r"; return 1; }
}

# Races: background tasks, started together, that must all finish.
wait_pids() { # <seconds> <pid>...: fail, with their kernel stacks, if one still runs then
	local end=$((SECONDS + $1)) p
	shift
	for p; do
		while kill -0 "$p" 2>/dev/null; do
			if [ "$SECONDS" -ge "$end" ]; then
				echo "# task $p still running; kernel stack:"
				say_lines "  " "$(cat "/proc/$p/stack" 2>/dev/null)"
				return 1
			fi
			snooze 0.1
		done
		wait "$p" 2>/dev/null
	done
	return 0
}
# Run the functions in background tasks that start at the same instant
# (they spin until a file appears), and wait for them for at most 60 s.
together() { # <function>...
	local go=/tmp/stress-go.$$ f pids=()
	rm -f "$go"
	for f; do
		(until [ -e "$go" ]; do :; done; "$f" >/dev/null 2>&1) &
		pids+=($!)
	done
	: >"$go"
	wait_pids 60 "${pids[@]}"
}
rand_snooze() { # <max ms>: sleep a random time below it
	local ms
	printf -v ms '%03d' $((RANDOM % $1))
	snooze "0.$ms"
}
# The port right below the CXL root above an endpoint (a host bridge's)
hb_port_of() { # <endpointN>
	local d p
	d=$(cd -P "$CXL/devices/$1" && pwd) || return 1
	while p=${d%/*}; [ "$p" != "$d" ]; do
		[[ ${p##*/} == root* ]] && { echo "${d##*/}"; return 0; }
		d=$p
	done
	return 1
}
# Two memdevs whose endpoints hang off one switch port (not a host
# bridge's): "<memA> <memB> <port>"
switch_pair() {
	local m e p
	declare -A by=()
	for m in $(type3_memdevs); do
		e=$(endpoint_of "$m")
		[ -n "$e" ] || continue
		p=$(parent_port_of "$e")
		[ "$p" != "$(hb_port_of "$e")" ] || continue
		if [ -n "${by[$p]:-}" ]; then
			echo "${by[$p]} $m $p"
			return 0
		fi
		by[$p]=$m
	done
	return 1
}
port_gone() { [ ! -e "$CXL/devices/$1" ]; } # <portN>

# stress_begin <plan>: after the KTAP header, the plan and a clean start:
# nothing loaded, then the scenario's topology attached, its state in $start.
stress_begin() {
	ktap_set_plan "$1"
	cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
	stress_setup || ktap_exit_fail_msg "could not set up the topology"
	start=$(stress_state)
	say_lines "start: " "$start"
}

# The start of a test that unbinds the CXL root: the header, the plan and
# a clean start (stress_begin), then the root device in $root and
# cxl_acpi's driver directory in $acpi.
root_stress_begin() { # <plan>
	acpi=/sys/bus/platform/drivers/cxl_acpi
	ktap_print_header
	stress_begin "$1"
	root=$(cxl_root_dev) || ktap_exit_fail_msg "no CXL root device"
}

# stress_end: the topology is as $start recorded it, and everything unloads.
stress_end() {
	ktap_test_result "the topology is as it was at the start" same_state "$start"
	ktap_test_result "everything unloads" stress_teardown
	ktap_finished
}
