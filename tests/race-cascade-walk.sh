#!/bin/bash
# shellcheck disable=SC2317 # functions called through stress_loop
# Port enumeration walks up from a memdev: where a level's port is
# missing and so is the port above it, it goes one level up to add that
# one first. A sibling below the same switches may add both meanwhile.
# The walk must then start over from the memdev, not carry on upward and
# stop at the host bridge's port with its own dport on the lower switch's
# port never added (the sibling's port carries only the sibling's dport):
# the probe then fails with "CXL port topology not found" and the memdev
# stays unbound.
#
# Needs cascaded switches (scenarios/lib/cascade.sh): memdevs A and B
# below the lower switch, every memdev below the upper switch unbound (on
# hw-cascade the accelerator's too, which unbinds the accelerator until
# accel_back), so that both switches' ports are gone. B's bind is held at
# the second "scan:" debug message of its walk, the one that starts the
# level above the missing one (the hold, tests/lib/delay.sh, sits on the
# return of dev_vprintk_emit() as in race-dead-port-lock, but on one call
# in two, so that the first "scan:" message passes); A is bound meanwhile
# and adds both ports. A cycle hit the window when A attached within the
# hold, B still held, and B's second "scan:" message named the upper
# switch. Once released, B must attach.
# patches/fixes/: "Restart port enumeration when a port appears above a
# missing one". About 20 s a cycle under TCG.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"
# shellcheck source=tests/lib/delay.sh
. "$(dirname "$0")/lib/delay.sh"

cycles=$(stress_cycles 3)
ktap_print_header
stress_begin 6
trap 'held_message_end; stress_teardown >/dev/null 2>&1' EXIT

# PORTS=the ports from the host bridge's down to <memX>'s endpoint's parent
ports_of() {
	local d p
	PORTS=()
	ep_of "$1"
	[ -n "$EP" ] || return 1
	d=$(cd -P "$CXL/devices/$EP/.." && pwd) || return 1
	while [[ ${d##*/} == port* ]]; do
		PORTS=("${d##*/}" "${PORTS[@]}")
		d=${d%/*}
	done
	[[ ${d##*/} == root* ]]
}
# A, B: two memdevs whose endpoints hang off one switch port that is
# itself below a switch port, LOWER; UPPER: that upper switch port;
# BELOW: every memdev below it
pick() {
	local m deep=()
	A="" B="" LOWER="" UPPER="" UPPER_UPORT="" BELOW=()
	for m in $(memdevs); do
		ports_of "$m" || continue
		[ ${#PORTS[@]} -ge 3 ] || continue
		if [ -z "$A" ]; then
			A=$m deep=("${PORTS[@]}")
		elif [ -z "$B" ] && [ "${PORTS[-1]}" = "${deep[-1]}" ]; then
			B=$m
		fi
	done
	[ -n "$B" ] || { echo "# no two memdevs below one cascaded switch"; return 1; }
	LOWER=${deep[-1]} UPPER=${deep[-2]}
	UPPER_UPORT=$(readlink -f "$CXL/devices/$UPPER/uport") && UPPER_UPORT=${UPPER_UPORT##*/} || return 1
	for m in $(memdevs); do
		ports_of "$m" || continue
		case " ${PORTS[*]} " in *" $UPPER "*) BELOW+=("$m") ;; esac
	done
}

memdev_count
memdevs_before=$MEMDEVS
pick || ktap_exit_fail_msg "the topology has no cascaded switches"
echo "# $A and $B below $LOWER below $UPPER; below $UPPER: ${BELOW[*]}"
held_message_begin 2 'module cxl_core format scan:\040iter:'
hits=0 attached_b=0

cycle() {
	local m pid t0 ms held line
	pick || return 1
	for m in "${BELOW[@]}"; do
		echo "$m" >"$CXL/drivers/cxl_mem/unbind" || return 1
	done
	cxl_flush
	settles port_gone "$UPPER" || { echo "# $UPPER stayed with ${BELOW[*]} unbound"; return 1; }
	# B's first "scan:" message passes, its second waits 6 s
	echo "cxl-test: $$ cycle $1" >/dev/kmsg
	echo >"$DELAY_HITS" && delay_set 6000000 || return 1
	echo "$B" >"$CXL/drivers/cxl_mem/bind" 2>/dev/null &
	pid=$!
	spin_until 10000 delay_held_past "$HELD_MESSAGE_SITE" 0 || echo "# $B's walk did not reach its second level"
	t0=$(now_ms)
	delay_set 0 || return 1
	held=0
	if [ "$DDELAYED" = 1 ] && echo "$A" >"$CXL/drivers/cxl_mem/bind" && attached "$A"; then
		ms=$(($(now_ms) - t0))
		echo "# cycle $1: $A attached $ms ms into $B's 6 s hold"
		[ "$ms" -lt 5000 ] && kill -0 "$pid" 2>/dev/null && held=1
	fi
	wait_pids 60 "$pid" || return 1
	line=$(dmesg | sed -n "/cxl-test: $$ cycle $1\$/,\$p" | grep -F " $B: scan: iter:" | sed -n 2p)
	[[ $line == *"parent: $UPPER_UPORT" ]] || { echo "# $B's second scan: ${line:-none}"; held=0; }
	hits=$((hits + held))
	cxl_flush
	if attached "$B"; then
		attached_b=$((attached_b + 1))
	else
		echo "# cycle $1: $B did not attach"
	fi
	for m in "${BELOW[@]}"; do
		[ -e "$CXL/devices/$m/driver" ] || echo "$m" >"$CXL/drivers/cxl_mem/bind" 2>/dev/null
	done
	cxl_flush
	probe_unbound
	accel_back || return 1
	settles all_attached_now && memdevs_are "$memdevs_before"
}

ktap_test_result "$cycles cycles: $B's walk up, while $A adds the ports above it" \
	stress_loop "walk vs sibling" "$cycles" cycle
echo "# $A added the ports while $B's walk was held in $hits of $cycles cycles"
echo "# the last cycle's delays:"
delay_report
ktap_test_result "$B attached in every cycle" count_is "cycles where $B attached" "$attached_b" "$cycles"
ktap_test_result "nothing freed is read meanwhile (KASAN silent)" klog_quiet
ktap_test_result "the window was hit in every cycle" count_is "cycles with $A bound in the window" "$hits" "$cycles"
held_message_end
stress_end
