# shellcheck shell=bash
# Fault injection sweeps: make the Nth slab allocation of one sysfs write
# fail (/proc/thread-self/fail-nth with failslab), for N = 1, 2, ... until
# the write runs to completion without reaching N, and check after each
# injected failure that the operation failed cleanly and that the next
# attempt succeeds. Sources tests/lib/stress.sh.
#
# failslab prints a stack per injected fault (verbose=2): the CXL functions
# on it name the call site that failed. The sweep visits every N when
# cxlsoak=1, else it bisects: N=1, 2, 4, ... up to the end, then between two
# visited N whose stacks differ, until neighbouring N are reached. Runs of
# equal stacks (the attributes of one device, say) are skipped. The first
# FAULT_HEAD and the last FAULT_TAIL N are visited all the same: the
# memdev's allocation and naming are among the first, the creator's own
# steps after cxl_mem_probe() among the last, and at both ends one site
# was seen between two allocations with equal stacks.
# FAULT_SEEK=<glob> names a site the sweep must reach among the last N,
# FAULT_SEEK_HEAD=<glob> one among the first: see fault_seek.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "${BASH_SOURCE[0]}")/stress.sh"

shopt -s extglob	# fault_reached patterns
FAILSLAB=/sys/kernel/debug/failslab
FAULT_SAVED=()
FAULT_TAIL=16
FAULT_HEAD=16

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

fault_mark() { echo "cxl-fault: $FAULT_TAG mark $1" >/dev/kmsg; }

# The kernel log since this test's start marker
fault_own_log() { sed -n "/cxl-fault: $FAULT_TAG mark start\$/,\$p" "$FAULT_LOG"; }

# Kernel log lines (message text) up to the marker <mark>, into FAULT_TEXT
fault_collect() { # <mark>
	local line part="" end=$((SECONDS + 20))
	FAULT_TEXT=()
	while :; do
		if IFS= read -r line <&"$FAULT_LOGFD"; then
			line=$part$line part=""
			line=${line#*;}
			[ "$line" = "cxl-fault: $FAULT_TAG mark $1" ] && return 0
			FAULT_TEXT+=("$line")
		else
			part+=$line
			[ "$SECONDS" -lt "$end" ] || { echo "# no marker $1 in the kernel log"; return 1; }
			snooze 0.05
		fi
	done
}

# From FAULT_TEXT: FAULT_STACK, the functions of the injected fault's stack
# innermost first, with their module as func[module]; FAULT_CHAIN, the CXL
# frames outermost first and the callee of the innermost one
# ("a>b>callee"); FAULT_SIG, the whole stack; FAULT_PID, the task it
# was injected in.
fault_parse() {
	local l in=0 f callee="" chain=""
	local re='^ +([A-Za-z0-9_.]+)\+0x[0-9a-f]+/0x[0-9a-f]+( \[([A-Za-z0-9_]+)\])?'
	FAULT_STACK=() FAULT_PID=
	for l in "${FAULT_TEXT[@]}"; do
		case $l in
		FAULT_INJECTION:*) in=1; continue ;;
		*"</TASK>"*) [ $in = 1 ] && break ;;
		esac
		[ $in = 1 ] || continue
		[[ -z $FAULT_PID && $l =~ \ PID:\ ([0-9]+)\  ]] && FAULT_PID=${BASH_REMATCH[1]}
		[[ $l =~ $re ]] || continue
		FAULT_STACK+=("${BASH_REMATCH[1]}${BASH_REMATCH[3]:+[${BASH_REMATCH[3]}]}")
	done
	FAULT_SIG=${FAULT_STACK[*]}
	for f in "${FAULT_STACK[@]}"; do
		if [[ $f == *"[cxl"* ]]; then
			chain=${f%%[*}${chain:+>$chain}
		elif [ -z "$chain" ]; then
			callee=$f
		fi
	done
	FAULT_CHAIN=${chain:+$chain>$callee}
	[ $in = 1 ]
}

# fault_sweep <write-target> <value> <check> <reset>
#   <write-target> sysfs file the operation writes <value> to, in this task
#   <check> <rc>   after an attempt (<rc>: the write's status): sets
#                  OUTCOME to "attached" (the operation succeeded
#                  completely) or "failed[(why)]" (it failed and left
#                  nothing behind), or leaves it empty and prints why when
#                  the state is neither
#   <reset>        undo a successful operation, for the next attempt
# Fills FAULT_SITES[chain]="N ... outcome" and FAULT_BAD (failed checks).
fault_sweep() {
	local target=$1 value=$2 check=$3 reset=$4 n
	FAULT_END=0 FAULT_BAD=0 FAULT_VISITS=0 FAULT_HUNG='' FAULT_STOP=''
	declare -gA FAULT_SEEN=() FAULT_SITES=() FAULT_N_SIG=() FAULT_FUNCS=()
	exec {FAULT_TFD}>"$target"
	# the write's error message, through an fd opened now: opening a file
	# between arming fail-nth and the write would count allocations
	FAULT_ERRFILE=$(mktemp)
	exec {FAULT_ERRFD}>>"$FAULT_ERRFILE"
	if [ "${STRESS_SOAK:-0}" = 1 ]; then
		n=1
		while fault_visit "$n" && [ -z "$FAULT_STOP" ]; do n=$((n + 1)); done
	else
		n=1
		while fault_visit "$n" && [ -z "$FAULT_STOP" ]; do n=$((n * 2)); done
		# The first FAULT_HEAD N all: the memdev's own steps sit there, and
		# one (its naming) lies between two allocations with equal stacks
		fault_visit_head
		[ -z "${FAULT_SEEK_HEAD:-}" ] || fault_seek "$FAULT_SEEK_HEAD" 4 head
		local visited=()
		mapfile -t visited < <(printf '%s\n' "${!FAULT_SEEN[@]}" | sort -n)
		local i
		for ((i = 0; i + 1 < ${#visited[@]}; i++)); do
			[ -z "$FAULT_STOP" ] || break
			fault_between "${visited[i]}" "${visited[i + 1]}"
		done
		fault_visit_tail
	fi
	[ -z "${FAULT_SEEK:-}" ] || fault_seek "$FAULT_SEEK" 4 tail
	exec {FAULT_TFD}>&- {FAULT_ERRFD}>&-
	rm -f "$FAULT_ERRFILE" "$FAULT_ERRFILE.rc"
}

# The operation: write <value> to the target with the <n>th allocation
# failing (0: none), in a child task, so that a write that never returns (a
# deadlock) is reported, with its kernel stack, instead of hanging the test.
# Sets FAULT_WERR to the write's error ("" on success) and FAULT_LEFT;
# returns 0 (written), 1 (write error) or 2 (still blocked after 60 s: the
# sweep stops, FAULT_HUNG says where).
fault_write() { # <n>
	local pid rc
	: >"$FAULT_ERRFILE"
	rm -f "$FAULT_ERRFILE.rc"
	(
		rc=0
		fault_arm "$1"
		echo "$value" 2>&"$FAULT_ERRFD" 1>&"$FAULT_TFD" || rc=1
		fault_disarm
		echo "$rc $FAULT_LEFT" >"$FAULT_ERRFILE.rc"
	) &
	pid=$! FAULT_WPID=$!
	if ! wait_pids 60 "$pid"; then
		FAULT_HUNG=$1
		return 2
	fi
	if ! read -r rc FAULT_LEFT 2>/dev/null <"$FAULT_ERRFILE.rc"; then
		echo "# N=$1: the writing task died (an oops?)"
		FAULT_STOP="N=$1: the writing task died" FAULT_LEFT=0
		return 1
	fi
	FAULT_WERR=$(<"$FAULT_ERRFILE")
	FAULT_WERR=${FAULT_WERR##*write error: }
	return "$rc"
}
# fail-nth through an fd opened beforehand, read back after the write
fault_arm() { # <n>
	exec {FAULT_NFD}<>/proc/thread-self/fail-nth
	echo "$1" >&"$FAULT_NFD"
}
fault_disarm() { # sets FAULT_LEFT: 0 if the fault was injected
	read -r FAULT_LEFT <&"$FAULT_NFD"
	echo 0 >&"$FAULT_NFD"
	exec {FAULT_NFD}>&-
}

# Bisect (lo, hi): both visited
fault_between() {
	local lo=$1 hi=$2 mid
	[ $((hi - lo)) -gt 1 ] && [ -z "$FAULT_STOP" ] || return 0
	[ "${FAULT_N_SIG[$lo]}" != "${FAULT_N_SIG[$hi]}" ] || return 0
	mid=$(((lo + hi) / 2))
	fault_visit "$mid"
	fault_between "$lo" "$mid"
	fault_between "$mid" "$hi"
}

# One attempt with the <n>th allocation failing. Returns 1 when the
# operation ran to completion without reaching <n> (the end of the sweep).
fault_visit() { # <n>
	local n=$1 rc=0 f
	[ -z "${FAULT_SEEN[$n]:-}" ] || return 0
	FAULT_SEEN[$n]=1
	FAULT_VISITS=$((FAULT_VISITS + 1))
	fault_write "$n" || rc=$?
	fault_mark "$n"
	if [ "$rc" = 2 ]; then
		fault_collect "$n"
		fault_parse
		echo "# N=$n at ${FAULT_CHAIN:-?}: the write is blocked in the kernel; the sweep stops here"
		FAULT_STOP="N=$n: the write never returned (a deadlock)"
		FAULT_SITES[${FAULT_CHAIN:-?}]+="$n:HUNG "
		FAULT_BAD=$((FAULT_BAD + 1))
		return 1
	fi
	fault_collect "$n" || FAULT_BAD=$((FAULT_BAD + 1))
	if [ "$FAULT_LEFT" != 0 ]; then	# not reached: the clean run
		FAULT_END=$n
		FAULT_N_SIG[$n]=end
		fault_check "N=$n (no fault reached)" attached
		"$reset"
		return 1
	fi
	if fault_parse; then
		FAULT_N_SIG[$n]=$FAULT_SIG
		# a stack of another task is not this attempt's: its chain says
		# nothing about the site this N reached
		[ "$FAULT_PID" = "$FAULT_WPID" ] || {
			echo "# N=$n: the fault's stack is of task ${FAULT_PID:-?}, not of the writing task $FAULT_WPID"
			FAULT_BAD=$((FAULT_BAD + 1))
		}
	else
		# no stack: an allocation with __GFP_NOWARN
		FAULT_CHAIN="(no stack: __GFP_NOWARN allocation)" FAULT_N_SIG[$n]=nowarn
	fi
	[ -n "$FAULT_CHAIN" ] || FAULT_CHAIN="(outside CXL code: ${FAULT_STACK[*]:3:3})"
	for f in "${FAULT_STACK[@]}"; do FAULT_FUNCS[${f%%[*}]=1; done
	fault_check "N=$n at $FAULT_CHAIN" 'failed*' attached
	[ "$OUTCOME" != attached ] || OUTCOME=tolerated
	FAULT_SITES[$FAULT_CHAIN]+="$n:${OUTCOME:-BAD} "
	# the next attempt, without a fault, succeeds
	"$reset"
	rc=0
	fault_write 0 || rc=$?
	if [ "$rc" = 2 ]; then
		echo "# N=$n: the attempt after the fault is blocked in the kernel; the sweep stops here"
		FAULT_HUNG="$n (the attempt after it)" FAULT_BAD=$((FAULT_BAD + 1))
		FAULT_STOP="N=$n: the attempt after it never returned (a deadlock)"
		return 1
	fi
	# a failure that breaks the next attempt leaves nothing to learn from
	# the attempts after it
	fault_check "N=$n, the attempt after the fault" attached ||
		FAULT_STOP="N=$n at $FAULT_CHAIN broke the next attempt"
	"$reset"
	return 0
}

# fault_seek <glob> <rounds> head|tail: visit the first FAULT_HEAD or the
# last FAULT_TAIL N again, up to <rounds> times, until a site matching
# <glob> is reached. How many allocations come before a site varies by one
# or two between attempts: xarrays keyed by pointers (a port's endpoints)
# grow by as many nodes as the new key's bits ask, and an ioremap() before
# the memdev's allocation makes one or more. So an N can land on either
# side of a site that is a single allocation, in every visit of one sweep.
fault_seek() { # <glob> <rounds> head|tail
	local glob=$1 rounds=$2 r
	for ((r = 0; r < rounds; r++)); do
		fault_reached "$glob" && return 0
		case $3 in
		head) fault_visit_head again ;;
		*) fault_visit_tail again ;;
		esac
	done
}

# Visit the first FAULT_HEAD N, skipping those visited already unless
# "again"; as for the tail, an attempt that ends early does not move the
# end of the sweep.
fault_visit_head() { # [again]
	local end=$FAULT_END n
	for ((n = 1; n <= FAULT_HEAD && n < end; n++)); do
		[ -z "$FAULT_STOP" ] || break
		[ -z "${1:-}" ] || unset "FAULT_SEEN[$n]"
		fault_visit "$n" || true
	done
	FAULT_END=$end
}

# Visit the last FAULT_TAIL N of the sweep, skipping those visited already
# unless "again". An attempt that happens to make fewer allocations ends
# early; it must not move the end of the sweep.
fault_visit_tail() { # [again]
	local end=$FAULT_END n
	for ((n = end - FAULT_TAIL; n < end; n++)); do
		[ -z "$FAULT_STOP" ] || break
		[ -z "${1:-}" ] || unset "FAULT_SEEN[$n]"
		[ "$n" -lt 1 ] || fault_visit "$n" || true
	done
	FAULT_END=$end
}

# Run the check (<rc> from the caller); count a bad outcome unless OUTCOME
# matches one of the patterns
fault_check() { # <what> <pattern>...
	local what=$1 p
	shift
	OUTCOME=
	"$check" "$rc"
	for p; do
		# shellcheck disable=SC2053 # a pattern on purpose
		[[ $OUTCOME == $p ]] && return 0
	done
	echo "# $what: ${OUTCOME:-check failed}"
	FAULT_BAD=$((FAULT_BAD + 1))
	return 1
}

# fault_sweep, timed, then its report. A write that never returned counts
# as a bad outcome: the caller reports the outcomes, then ends the test
# with fault_bail_if_hung.
fault_sweep_and_report() { # the arguments of fault_sweep
	local t0
	t0=$(now_ms)
	fault_sweep "$@"
	echo "# sweep took $((($(now_ms) - t0) / 1000)) s"
	fault_report
}

# The two results of every memdev attach sweep: faults were injected in
# adding the endpoint port, and in its probe. The endpoint is the port
# cxl_mem_probe() adds outside devm_cxl_enumerate_ports(): through
# devm_cxl_add_endpoint(), which the base's cxl_mem inlines.
FAULT_EP_ADD='*cxl_mem_probe>*devm_cxl_add_port>*'
fault_endpoint_results() {
	ktap_test_result "endpoint port add (devm_cxl_add_endpoint)" \
		fault_reached "$FAULT_EP_ADD" '*@(devm_cxl_enumerate_ports|cxl_port_probe)*'
	ktap_test_result "endpoint probe (cxl_port_probe under devm_cxl_add_endpoint)" \
		fault_reached "$FAULT_EP_ADD" '*devm_cxl_enumerate_ports*' '*cxl_port_probe*'
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
	local n
	count_is "use-after-failure passes" "$((FAULT_USES > 0))" 1 || return 1
	fault_own_log >"$FAULT_LOG.own"
	n=$(grep -c 'BUG: KASAN' "$FAULT_LOG.own")
	echo "# $FAULT_USES use-after-failure passes, $n KASAN reports"
	[ "$n" = 0 ] || { grep -m3 -A3 'BUG: KASAN' "$FAULT_LOG.own" | sed 's/^/# /'; return 1; }
}

# Print the sites reached, one line each: chain, the N and outcomes
fault_report() {
	local c
	[ -z "$FAULT_STOP" ] || echo "# the sweep stopped early, at $FAULT_STOP: the sites after it are not covered"
	echo "# $FAULT_VISITS attempts; the operation makes $((FAULT_END - 1)) allocations (slab cache filter: $FAULT_FILTER)"
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

# fault_replay <write-target> <value> <reset> <glob> [<except>]: make the
# write fail again at the first N the sweep saw fail at a site matching
# <glob> (and not <except>), or at a neighbour of it: how many allocations
# come first varies by one or two (fault_seek). Leaves the failed state
# for the caller to look at; FAULT_REPLAY says which N landed there.
fault_replay() {
	local value=$2 reset=$3 glob=$4 except=${5:-} n0 n d rc
	FAULT_REPLAY=
	n0=$(fault_first_failed "$glob" "$except") || { echo "# the sweep failed no N at $glob"; return 1; }
	exec {FAULT_TFD}>"$1"
	FAULT_ERRFILE=$(mktemp)
	exec {FAULT_ERRFD}>>"$FAULT_ERRFILE"
	for d in 0 -1 1 -2 2; do
		n=$((n0 + d))
		[ "$n" -ge 1 ] || continue
		rc=0
		fault_write "$n" || rc=$?
		[ "$rc" != 2 ] || { FAULT_HUNG="$n (replay)"; break; }
		fault_mark "replay-$n"
		fault_collect "replay-$n" || break
		# shellcheck disable=SC2053 # globs on purpose
		if [ "$rc" = 1 ] && [ "$FAULT_LEFT" = 0 ] && fault_parse &&
			[[ $FAULT_CHAIN == $glob && ( -z $except || $FAULT_CHAIN != $except ) ]]; then
			FAULT_REPLAY="N=$n at $FAULT_CHAIN"
			break
		fi
		"$reset"
	done
	exec {FAULT_TFD}>&- {FAULT_ERRFD}>&-
	rm -f "$FAULT_ERRFILE" "$FAULT_ERRFILE.rc"
	[ -n "$FAULT_REPLAY" ] || { echo "# no N near $n0 failed at $glob again"; return 1; }
	echo "# replayed: $FAULT_REPLAY"
}
# The smallest N the sweep failed at a site matching <glob> (not <except>)
fault_first_failed() { # <glob> [<except>]
	local c e best=""
	for c in "${!FAULT_SITES[@]}"; do
		# shellcheck disable=SC2053 # globs on purpose
		[[ $c == $1 && ( -z ${2:-} || $c != $2 ) ]] || continue
		for e in ${FAULT_SITES[$c]}; do
			[[ $e == *:failed* ]] || continue
			e=${e%%:*}
			if [ -z "$best" ] || [ "$e" -lt "$best" ]; then best=$e; fi
		done
	done
	[ -n "$best" ] && echo "$best"
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
