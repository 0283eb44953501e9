# shellcheck shell=bash disable=SC2034,SC2153 # globals the parts of tests/lib/fault.sh share
# What a fault test reports (tests/lib/fault.sh): the sites the sweep
# reached, the use of what each failure left behind, KASAN's verdict, and
# the end of a test whose write never returned.

# fault_sweep, timed, then its report. A write that never returned counts
# as a bad outcome: the caller reports the outcomes, then ends the test
# with fault_bail_if_hung.
fault_sweep_and_report() { # the arguments of fault_sweep
	local t0
	t0=$(now_ms)
	fault_sweep "$@"
	echo "# sweep took $((($(now_ms) - t0) / 1000)) s, bisecting on ${FAULT_BISECT:-stacks} (cxlsweep=)"
	fault_report
}

# The two results of every memdev attach sweep: faults were injected in
# adding the endpoint port, and in its probe. The endpoint is the port
# cxl_mem_probe() adds outside devm_cxl_enumerate_ports(): through
# devm_cxl_add_endpoint(), which the base's cxl_mem inlines.
FAULT_EP_ADD='*cxl_mem_probe>*devm_cxl_add_port>*'
# ... and two sites of it: its sysfs links (fixes/0001), and its autoremove
# action on the memdev (fixes/0004)
FAULT_EP_LINKS='*cxl_mem_probe>?(devm_cxl_add_endpoint>)devm_cxl_add_port>sysfs_do_create_link_sd'
FAULT_EP_AUTOREMOVE='*cxl_mem_probe>*cxl_endpoint_autoremove>__devm_add_action*'
fault_endpoint_results() {
	ktap_test_result "endpoint port add (devm_cxl_add_endpoint)" \
		fault_reached "$FAULT_EP_ADD" '*@(devm_cxl_enumerate_ports|cxl_port_probe)*'
	ktap_test_result "endpoint probe (cxl_port_probe under devm_cxl_add_endpoint)" \
		fault_reached "$FAULT_EP_ADD" '*devm_cxl_enumerate_ports*' '*cxl_port_probe*'
}

# The Type-3 memdev whose cxl_mem bind a sweep fails: FAULT_MEM, unbound,
# and FAULT_MEM_DEVS, the CXL devices while it is. fault_check_mem and
# fault_reset_mem are the sweep's check and reset for it: each failure
# leaves the memdev registered, unbound, with no endpoint and no other CXL
# device left behind (or, where the kernel tolerates the failure,
# attached), and what it left is used (fault_use_memdev) unless
# FAULT_USE=0.
FAULT_USE=1
fault_mem_begin() {
	FAULT_MEM=$(type3_memdev)
	[ -n "$FAULT_MEM" ] || ktap_exit_fail_msg "no Type-3 memdev"
	echo "$FAULT_MEM" >"$CXL/drivers/cxl_mem/unbind" ||
		ktap_exit_fail_msg "could not unbind cxl_mem from $FAULT_MEM"
	cxl_flush
	cxl_devices
	FAULT_MEM_DEVS=$DEVS
	echo "# $FAULT_MEM; CXL devices while it is unbound: $DEVS"
}
fault_check_mem() { # <rc>: 0 or 1, the bind's status
	local m=$FAULT_MEM rc=$1
	if [ -e "$CXL/devices/$m/driver" ]; then
		[ "$rc" = 0 ] || { echo "# bind returned an error, $m bound"; return 1; }
		attached "$m" && OUTCOME=attached
		return 0
	fi
	[ "$rc" != 0 ] || { echo "# bind succeeded, $m unbound"; return 1; }
	detached "$m" || return 1
	[ "$FAULT_USE" = 0 ] || fault_use_memdev "$m" || return 1
	cxl_devices
	[ "$DEVS" = "$FAULT_MEM_DEVS" ] || { echo "# CXL devices now: $DEVS"; echo "# before: $FAULT_MEM_DEVS"; return 1; }
	OUTCOME="failed(${FAULT_WERR:-?})"
}
fault_reset_mem() {
	[ ! -e "$CXL/devices/$FAULT_MEM/driver" ] || echo "$FAULT_MEM" >"$CXL/drivers/cxl_mem/unbind"
	cxl_flush
}

# Use what a failed attempt left behind the way its users can, so that a
# stale pointer it left is dereferenced while KASAN looks: read every
# attribute of the memdev, write its sanitize, erase and poison list
# triggers (an unattached memdev refuses them), and, once per call site
# (FAULT_CHAIN), reset its PCI function, which runs cxl_pci's reset_done.
# Counts FAULT_USES; fault_kasan_silent judges the result.
FAULT_USES=0
declare -A FAULT_RESET=()
fault_use_memdev() { # <memX>
	local d=$CXL/devices/$1 f
	[ -d "$d" ] || { echo "# $1 is gone: nothing to use"; return 1; }
	for f in "$d"/* "$d"/security/* "$d"/ram/* "$d"/pmem/*; do
		# shellcheck disable=SC2015 # skip what is not a readable file
		[ -f "$f" ] && [ -r "$f" ] || continue
		{ read -r _ <"$f"; } 2>/dev/null || :	# a 0200 file: -r holds for root
	done
	# The poison list first: once a use has read freed memory (KASAN
	# taints the kernel), what it read must not reach the device as a
	# sanitize or an erase, which the emulated device does not survive.
	for f in trigger_poison_list security/sanitize security/erase; do
		[ ! -w "$d/$f" ] || { echo 1 >"$d/$f"; } 2>/dev/null || :
		if fault_kasan_tainted; then
			FAULT_STOP="a use of $1 (${f##*/}) after a failure read freed memory (KASAN)"
			echo "# $FAULT_STOP; no more uses, the sweep stops"
			break
		fi
	done
	FAULT_USES=$((FAULT_USES + 1))
	[ -n "$FAULT_STOP" ] || fault_use_pci "$(parent_of "$d")"
}
fault_use_pci() { # <PCI function>
	local p=/sys/bus/pci/devices/$1 f
	[ -d "$p" ] || return 0
	for f in "$p"/cxl_mode "$p"/op_calls "$p"/cxlds_memdev; do
		[ ! -r "$f" ] || { read -r _ <"$f"; } 2>/dev/null || :
	done
	[ -z "${FAULT_RESET[$FAULT_CHAIN]:-}" ] || return 0
	FAULT_RESET[$FAULT_CHAIN]=1
	[ ! -w "$p/reset" ] || { echo 1 >"$p/reset"; } 2>/dev/null || :
}
# Has KASAN reported since the test began? It taints the kernel with
# TAINT_BAD_PAGE (bit 5); a kernel tainted so already can not tell.
fault_kasan_tainted() {
	local t
	read -r t </proc/sys/kernel/tainted
	[ $((t & 32)) != 0 ] && [ $((FAULT_TAINT0 & 32)) = 0 ]
}
# No KASAN report since the sweep began, and the use pass above ran
fault_kasan_silent() {
	count_is "use-after-failure passes" "$((FAULT_USES > 0))" 1 || return 1
	fault_no_kasan "$FAULT_USES use-after-failure passes"
}
# No KASAN report in the kernel log since the test began, up to now
fault_no_kasan() { # <what ran>
	local n
	fault_mark kasan
	fault_collect kasan >/dev/null
	fault_own_log >"$FAULT_LOG.own"
	n=$(grep -c 'BUG: KASAN' "$FAULT_LOG.own")
	echo "# $1, $n KASAN reports"
	[ "$n" = 0 ] || { grep -m3 -A3 'BUG: KASAN' "$FAULT_LOG.own" | sed 's/^/# /'; return 1; }
}

# Print the sites reached, one line each: chain, the N and outcomes
fault_report() {
	local c
	[ -z "$FAULT_STOP" ] || echo "# the sweep stopped early, at $FAULT_STOP: the sites after it are not covered"
	if [ "$FAULT_END" -gt 0 ]; then
		echo "# $FAULT_VISITS attempts; the operation makes $((FAULT_END - 1)) allocations (slab cache filter: $FAULT_FILTER)"
	else
		echo "# $FAULT_VISITS attempts, none ran to the end (slab cache filter: $FAULT_FILTER)"
	fi
	for c in "${!FAULT_SITES[@]}"; do
		echo "# site: $c: ${FAULT_SITES[$c]}"
	done | sort
}

# After a write that never returned, the devices it locked stay locked:
# report and stop, without a teardown that would block as well.
fault_bail_if_hung() {
	[ -n "$FAULT_HUNG" ] || return 0
	trap - EXIT
	ktap_exit_fail_msg "a write blocked in the kernel at N=$FAULT_HUNG (stack above); CXL devices stay locked, nothing more can run"
}

# Is a site whose chain matches <glob> (and not <except>, and <also>)
# reached?
fault_reached() { # <glob> [<except> [<also>]]
	local c
	for c in "${!FAULT_SITES[@]}"; do
		# shellcheck disable=SC2053 # globs on purpose
		[[ $c == $1 ]] && { [ -z "${2:-}" ] || [[ $c != $2 ]]; } &&
			{ [ -z "${3:-}" ] || [[ $c == $3 ]]; } && return 0
	done
	return 1
}

# Functions on the stacks of the sweep that fail_function can make fail
# (ALLOW_ERROR_INJECTION), besides failslab's own hook
fault_injectable_on_path() {
	local f t
	while read -r f t; do
		case $f in should_fail*) continue ;; esac
		[ -n "${FAULT_FUNCS[$f]:-}" ] && echo "$f"
	done </sys/kernel/debug/fail_function/injectable
	return 0
}
