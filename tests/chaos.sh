#!/bin/bash
# shellcheck disable=SC2317 # functions called through ktap_test_result and the trap
# Chaos on emulated CXL hardware. Four tasks pick at random, until a
# deadline, among: unbind or bind cxl_mem on a memdev, cxl_port on a port
# or on an endpoint, cxl_pci on its Type-3 function, cxl_acpi on the CXL
# root, cxl_mock_accel on the accelerator; remove or insert cxl_pci; flush
# the CXL bus work. A fifth task reads every attribute of every CXL device
# and triggers the memdevs' poison list reads. One bind or unbind in 8 has
# one slab allocation failing (fail-nth, N from 1 to 40, in the writing
# task). kprobe_delay (tests/lib/delay.sh) counts the calls of functions
# on the attach and detach paths in the first half, and delays one call in
# 2 by 3 ms in the second half, to widen race windows. It does the same,
# each with a delay of its own from 1 ms to 1 s, at sites drawn from every
# function of the CXL modules (tests/lib/explore.sh): cxlexplore=<n> sites
# (EXPLORE= on the host, 16 by default, 0 for none), the slice cxlslice=
# (SLICE=; by default the seed picks one) of the seed's order of them. A kernel report that fires while a
# task waits at a site is followed by a line that names it. Writes may be refused;
# none may hang, and the kernel may report nothing (the judge reads the
# log, kmemleak runs next). Afterwards everything attaches again, the
# topology is as at the start, every module unloads, and a reload attaches
# everything by the time modprobe returns.
#
# The choices come from a seed: cxlseed=<n> (SEED=<n> on the host), else
# the time. Task i draws from seed + i, so a seed replays each task's
# choices (not their timing against each other), and the seed and the
# slice replay the drawn sites and their delays. Costs 180 s of chaos
# (cxlchaos=<s> overrides; cxlfull=1 twice, cxlsoak=1 ten times as long)
# and about two minutes of setup and checks in a TCG guest.
# On Linux 7.2.8 (scenarios/mainline-chaos.sh) the accelerator is
# cxl_probe_accel, PCIe-only under QEMU (accel_up), and the delayed sites
# are 7.2.8's.
# shellcheck source=tests/lib/fault.sh
. "$(dirname "$0")/lib/fault.sh"
# shellcheck source=tests/lib/delay.sh
. "$(dirname "$0")/lib/delay.sh"
# shellcheck source=tests/lib/explore.sh
. "$(dirname "$0")/lib/explore.sh"

# The delayed sites: calls made right after a lock is dropped, or lookups
# whose result is used before the next one is taken. Functions, not
# inlined, on each side of those gaps:
SITES=(
	match_port_by_uport%return	# port enumeration: a port found, then locked
	cxl_port_add_dport%return	# dport add: its port's lock dropped after it
	cxl_gpf_port_setup		# a dport used after cxl_add_ep()
	cxl_detach_ep			# detach: ports walked up by depth
	delete_endpoint			# an endpoint's autoremove
	cxl_dport_remove		# a port's dports freed as it unbinds
	unregister_port
	schedule_detach			# an endpoint's unbind queues its memdev's detach
	detach_memdev			# the detach work, on cxl_bus_wq
	device_release_driver		# the creator's escalation, its lock dropped
	cxl_mem_probe%return
)
case $(uname -r) in
7.*)	# Linux 7.2.8 (scenarios/mainline-chaos.sh): no creator detach of its own
	SITES+=(devm_cxl_add_dport_by_dev%return) ;;
*)	SITES+=(__devm_cxl_add_dport_by_dev%return detach_creator) ;;
esac
DELAY_US=3000
WORKERS=4
acpi=/sys/bus/platform/drivers/cxl_acpi
PIDS=() dir=''
declare -A C=() T=()	# a task's counts by kind, and their sums

# --- what the tasks do; builtins only, and counts in C ---
count() { C[$1]=$((${C[$1]:-0} + 1)); }
counts_to() { # <file>
	local k
	for k in "${!C[@]}"; do echo "$k ${C[$k]}"; done >"$1"
}
pick() { # <prefix>: PICK=a random /sys/bus/cxl/devices/<prefix>N, or fail
	local d a=()
	for d in "$CXL/devices/$1"*; do [[ ${d##*/} =~ ^$1[0-9]+$ ]] && a+=("$d"); done
	[ ${#a[@]} -gt 0 ] || return 1
	PICK=${a[RANDOM % ${#a[@]}]}
}
# Write <value> to <file> from this task; one write in 8 with the Nth slab
# allocation failing. The file is opened before fail-nth is armed (an open
# allocates), and a fault counts as injected when fail-nth reads back 0
# after the write (the rule of fault_visit, tests/lib/fault-sweep.sh).
sysfs_write() { # <file> <value>
	local fd rc=0
	{ exec {fd}>"$1"; } 2>&"$NULLFD" || return 1
	if ((RANDOM % 8)); then
		echo "$2" 1>&"$fd" 2>&"$NULLFD" || rc=1
	else
		fault_arm $((RANDOM % 40 + 1))
		echo "$2" 1>&"$fd" 2>&"$NULLFD" || rc=1
		fault_disarm
		count armed
		[ "$FAULT_LEFT" != 0 ] || count injected
	fi
	exec {fd}>&-
	return "$rc"
}
toggle() { # <device dir> <driver dir> <kind>: unbind it if bound, else bind it
	local op=bind
	[ -e "$1" ] || return 0
	[ ! -e "$1/driver" ] || op=unbind
	count "$3"
	count "$op"
	if sysfs_write "$2/$op" "${1##*/}"; then
		[ "$op" = unbind ] || count bound
	else
		count refused
	fi
}
reload() { # remove cxl_pci if loaded, else insert it
	count reload
	if [ -d /sys/module/cxl_pci ]; then
		modprobe -r cxl_pci
	else
		modprobe cxl_pci
	fi >&"$NULLFD" 2>&1 || count refused
}
worker() { # <index>
	RANDOM=$((seed + $1))
	exec {NULLFD}>/dev/null
	while ((EPOCHSECONDS < end)); do
		case $((RANDOM % 32)) in
		[0-9]) pick mem && toggle "$PICK" "$CXL/drivers/cxl_mem" mem ;;
		1[0-3]) pick port && toggle "$PICK" "$CXL/drivers/cxl_port" port ;;
		1[4-7]) pick endpoint && toggle "$PICK" "$CXL/drivers/cxl_port" endpoint ;;
		1[89] | 2[01]) toggle "${T3[RANDOM % ${#T3[@]}]}" /sys/bus/pci/drivers/cxl_pci pci ;;
		2[2-5]) toggle "/sys/bus/pci/devices/$ACCEL" "$ACCEL_DRV" accel ;;
		26) toggle "/sys/bus/platform/devices/$root" "$acpi" root ;;
		27) reload ;;
		2[89]) cxl_flush 2>&"$NULLFD"; count flush ;;
		*) rand_snooze 300 ;;
		esac
	done
	counts_to "$dir/counts.$1"
}
read_attr() { { read -r -d '' _ <"$1"; } 2>&"$NULLFD"; count reads; }
reader() { # the files of every CXL device and of its subdirectories
	local d e f
	RANDOM=$seed
	exec {NULLFD}>/dev/null
	while ((EPOCHSECONDS < end)); do
		for d in "$CXL"/devices/*/; do
			# a pass over every device can take minutes on a busy host
			((EPOCHSECONDS < end)) || break
			for e in "$d"*; do
				if [ -L "$e" ]; then
					continue
				elif [ -d "$e" ]; then
					for f in "$e"/*; do [ -L "$f" ] || [ ! -f "$f" ] || read_attr "$f"; done
				elif [ -f "$e" ]; then
					read_attr "$e"
				fi
			done
			[ ! -e "${d}trigger_poison_list" ] ||
				{ echo 1 >"${d}trigger_poison_list"; count poison; } 2>&"$NULLFD"
		done
		rand_snooze 500
	done
	counts_to "$dir/counts.0"
}

# --- the main task ---
delays_total() { # DELAYED=the delayed calls of every listed site
	local s h d
	DELAYED=0
	UNREACHED=()
	while read -r s h d; do
		case " ${EXPLORE_SITES[*]} " in *" $s "*) continue ;; esac	# drawn: the ledger's
		DELAYED=$((DELAYED + ${d:-0}))
		[ "$h" != 0 ] || UNREACHED+=("$s")
	done <"$DELAY_HITS"
}
totals() { # T=the sums of the tasks' counts; TASKS=how many reported
	local f k v
	for k in bind unbind reload reads refused armed injected bound mem port endpoint pci accel root flush poison; do
		T[$k]=0
	done
	TASKS=0
	for f in "$dir"/counts.*; do
		[ -e "$f" ] || continue
		TASKS=$((TASKS + 1))
		while read -r k v; do T[$k]=$((${T[$k]:-0} + v)); done <"$f"
	done
	echo "# ops $((T[bind] + T[unbind] + T[reload] + T[reads])) (bind ${T[bind]}, unbind ${T[unbind]}," \
		"reload ${T[reload]}, reads ${T[reads]}), refused ${T[refused]}," \
		"faults injected ${T[injected]} of ${T[armed]} armed"
	echo "# binds that succeeded ${T[bound]}; by target: memdev ${T[mem]}, port ${T[port]}," \
		"endpoint ${T[endpoint]}, cxl_pci ${T[pci]}, accelerator ${T[accel]}, root ${T[root]};" \
		"flushes ${T[flush]}, poison list triggers ${T[poison]}"
}
enough() { # the chaos did enough to prove something
	local writes=$((T[bind] + T[unbind] + T[reload])) ok=0
	count_is "tasks that reported their counts" "$TASKS" $((WORKERS + 1)) || ok=1
	[ "$writes" -ge "$need_ops" ] || { echo "# $writes binds, unbinds and reloads, fewer than $need_ops"; ok=1; }
	[ "${T[bound]}" -ge "$need_binds" ] || { echo "# ${T[bound]} binds succeeded, fewer than $need_binds"; ok=1; }
	[ "${T[injected]}" -ge "$need_faults" ] || { echo "# ${T[injected]} faults injected, fewer than $need_faults"; ok=1; }
	[ "$DELAYED" -gt 0 ] || { echo "# no site was delayed in the second half"; ok=1; }
	[ ${#UNREACHED[@]} = 0 ] || { echo "# delay sites never reached: ${UNREACHED[*]}"; ok=1; }
	return "$ok"
}

# Bind everything back: the root, cxl_pci and its functions, every port,
# every memdev whose endpoint is not attached, the accelerator in CXL mode
chaos_restore() {
	local p m a
	[ -e "/sys/bus/platform/devices/$root/driver" ] || echo "$root" >"$acpi/bind"
	[ -d /sys/module/cxl_pci ] || modprobe cxl_pci
	cxl_flush
	for p in "$CXL"/devices/port* "$CXL"/devices/endpoint*; do
		[ ! -e "$p" ] || [ -e "$p/driver" ] || echo "${p##*/}" >"$CXL/drivers/cxl_port/bind"
	done
	for p in "${T3[@]}"; do	# bound, and with a memdev
		a=("$p"/mem[0-9]*)
		[ ! -e "$p/driver" ] || [ -e "${a[0]}" ] || echo "${p##*/}" >/sys/bus/pci/drivers/cxl_pci/unbind
		[ -e "$p/driver" ] || echo "${p##*/}" >/sys/bus/pci/drivers/cxl_pci/bind
	done
	cxl_flush
	for m in $(type3_memdevs); do
		attached "$m" || [ ! -e "$CXL/devices/$m/driver" ] || echo "$m" >"$CXL/drivers/cxl_mem/unbind"
	done
	probe_unbound
	accel_up || [ ! -e "/sys/bus/pci/devices/$ACCEL/driver" ] || accel_unbind
	accel_back && settles all_attached_now
}
back() { settles all_attached_now && accel_up && same_state "$start"; }
unload_all() {
	local rc=0
	[ ! -d /sys/module/kprobe_delay ] || { echo "# kprobe_delay stays loaded"; rc=1; }
	accel_teardown || rc=1
	return "$rc"
}
reload_attaches() { # what attach-on-return checks, with the state of now
	if ! { modprobe cxl_acpi && modprobe cxl_pci; }; then
		echo "# modprobe cxl_acpi, cxl_pci failed"
		return 1
	fi
	all_attached_now && memdevs_are "$NPCI"
}
# An early exit undoes everything: the tasks, the delays, failslab, the topology
chaos_cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p"; done
	delay_unload
	fault_teardown
	stress_teardown
	[ -z "$dir" ] || rm -rf "$dir"
}

ktap_print_header
seed=$(cmdline_arg cxlseed)
seed=${seed:-$EPOCHSECONDS}
echo "# seed $seed"
is_cxl_test && ktap_skip_all "no accelerator in cxl_test"
[ "$STRESS_ACCEL" != 0 ] || ktap_skip_all "no accelerator (cxlaccel=0)"
[[ $seed =~ ^[0-9]+$ ]] || ktap_exit_fail_msg "cxlseed=$seed is not a number"
chaos=$(cmdline_arg cxlchaos)
secs=$(STRESS_CYCLES=$chaos stress_cycles 180)
[[ $secs =~ ^[1-9][0-9]*$ ]] || ktap_exit_fail_msg "cxlchaos=$chaos is not a number of seconds"
explore=$(cmdline_arg cxlexplore)
explore=${explore:-16}
slice=$(cmdline_arg cxlslice)	# none: the seed picks one
[[ $explore =~ ^[0-9]+$ && $slice =~ ^[0-9]*$ ]] ||
	ktap_exit_fail_msg "cxlexplore=$explore and cxlslice=$slice must be numbers"
[ "$((${#SITES[@]} + explore))" -le 64 ] || ktap_exit_fail_msg "cxlexplore=$explore: kprobe_delay takes 64 sites in all"
need_ops=$((50 + secs / 3)) need_binds=$((1 + secs / 180)) need_faults=$((2 + secs / 180))

klog_mark
fault_begin 4
trap 'chaos_cleanup >/dev/null 2>&1' EXIT
root=$(cxl_root_dev) || ktap_exit_fail_msg "no CXL root device"
T3=()
for p in $(type3_pci); do [ "${p##*/}" = "$ACCEL" ] || T3+=("$p"); done
[ ${#T3[@]} -gt 0 ] || ktap_exit_fail_msg "no Type-3 function besides the accelerator"
NPCI=$((${#T3[@]} + 1))
dir=$(mktemp -d) || ktap_exit_fail_msg "no temporary directory"
for m in cxl_core cxl_port cxl_mem cxl_pci cxl_acpi; do
	[ -d "/sys/module/$m" ] || ktap_exit_fail_msg "$m is not loaded: kprobe_delay could not probe its functions"
done
EXPLORE_SITES=() EXPLORE_LISTED=("${SITES[@]}")
if [ "$explore" -gt 0 ]; then
	explore_draw "$seed" "$slice" "$explore" ||
		ktap_exit_fail_msg "no site to explore: slice $slice of seed $seed is past the last of ${EXPLORE_SLICES:-0}, or there is no candidate"
	slice=$EXPLORE_SLICE
	echo "# explore: seed $seed, slice $slice of $EXPLORE_SLICES, ${#EXPLORE_SITES[@]} of $EXPLORE_CANDIDATES sites (each function's entry and return)"
	# the whole list, for make explore's ledger (scripts/explore.sh)
	[ ! -w /results ] || explore_candidates >/results/chaos.candidates 2>/dev/null || :
	say_lines "explore: site " "$(printf '%s\n' "${EXPLORE_SITES[@]}")"
fi
args="SEED=$seed${chaos:+ CHAOS_SECONDS=$chaos} EXPLORE=$explore${slice:+ SLICE=$slice}"
scenario=$(cmdline_arg cxlscenario)
replay="make run SCENARIO=${scenario:-hw-chaos} $args"
[[ $(uname -r) != 7.* ]] || replay="make check-mainline SCENARIOS=${scenario:-mainline-chaos} $args"
[ "${STRESS_SOAK:-0}" != 1 ] || replay+=" SOAK=1"
[ "${STRESS_FULL:-0}" != 1 ] || replay+=" FULL=1"
echo "# replay: $replay"
DELAY_OPTIONAL=("${EXPLORE_SITES[@]}")
delay_load 0 2 "${SITES[@]}" "${EXPLORE_SITES[@]}" || ktap_exit_fail_msg "could not load kprobe_delay on every listed site"
[ -r "$DELAY_HITS" ] || ktap_exit_fail_msg "no $DELAY_HITS"
echo "$EXPLORE_MAX_WAIT_MS" >"$DELAY_PARAMS/max_wait_ms" || ktap_exit_fail_msg "could not bound the sites' waits"
echo "# root $root, cxl_pci functions ${T3[*]##*/}, accelerator $ACCEL; slab cache filter: $FAULT_FILTER"
echo "# chaos for $secs s: $WORKERS tasks and a reader; delays of $DELAY_US us from $((secs / 2)) s"

end=$((EPOCHSECONDS + secs))
for ((i = 1; i <= WORKERS; i++)); do
	worker "$i" >"$dir/log.$i" 2>&1 &
	PIDS+=($!)
done
reader >"$dir/log.0" 2>&1 &
PIDS+=($!)
snooze $((secs / 2))
delay_set "$DELAY_US" || ktap_exit_fail_msg "could not turn the delays on"
# A task's last operation may be a slow one (a root unbind with every
# call delayed); a task that has not returned 10 min after the deadline
# is hung
if ! wait_pids $((end - EPOCHSECONDS + 600)) "${PIDS[@]}"; then
	trap - EXIT
	ktap_exit_fail_msg "a task never returned (stack above); CXL devices stay locked, nothing more can run"
fi
PIDS=()
delay_set 0
delay_report
explore_report
delays_total
delay_unload || echo "# could not unload kprobe_delay"
totals
logs=$(cat "$dir"/log.* | head -n 10)
[ -z "$logs" ] || say_lines "task: " "$logs"
for r in 1 2 3; do chaos_restore >/dev/null 2>&1 && break; done
echo "# restore: $r round(s)"

ktap_test_result "chaos ran $secs s: enough operations and injected faults" enough
ktap_test_result "after the chaos everything attaches again and the topology is as at the start" back
ktap_test_result "every CXL module unloads" unload_all
ktap_test_result "a reload attaches everything on return" reload_attaches
cxl_reset || echo "# could not unload the CXL modules after the reload"
klog_quiet && echo "# kernel reports: none"
fault_teardown
rm -rf "$dir"
trap - EXIT
ktap_finished
