# shellcheck shell=bash disable=SC2034,SC2153 # globals the parts of tests/lib/fault.sh share
# The sweep of a fault test (tests/lib/fault.sh). failslab prints a stack
# per injected fault (verbose=2): the CXL functions on it name the call
# site that failed (fault_parse, tests/lib/fault-log.sh). The sweep visits
# every N when cxlsoak=1, else it bisects: N=1, 2, 4, ... up to the end,
# then between two visited N whose stacks differ, until neighbouring N are
# reached. Runs of equal stacks (the attributes of one device, say) are
# skipped. The first FAULT_HEAD and the last FAULT_TAIL N are visited all
# the same: the memdev's allocation and naming are among the first, the
# creator's own steps after cxl_mem_probe() among the last, and at both
# ends one site was seen between two allocations with equal stacks.
# FAULT_SEEK=<glob> names a site the sweep must reach among the last N,
# FAULT_SEEK_HEAD=<glob> one among the first: see fault_seek.
#
# cxlsweep=sites (make check) bisects on the call site instead of the
# whole stack: N whose faults fail the same CXL call (the allocations
# inside one device_add(), say) count as one, so each site is reached at
# least once and the N between two of its allocations are left out; the
# whole-stack sweep stays make check-full's and make mutants'. Then, with
# cxlsweepseed=<seed>, FAULT_EXTRA more N drawn by that seed anywhere in
# the range, so that runs with other seeds cover other N: the test prints
# the seed and the N it drew, and the same kernel arguments replay them.
FAULT_BISECT=$(cmdline_arg cxlsweep)
FAULT_SEED=$(cmdline_arg cxlsweepseed)
FAULT_EXTRA=12
#
# The sweep's state is global and named here: the write it repeats
# (FAULT_VALUE, to the file open on FAULT_TFD), the caller's check and
# reset (FAULT_CHECK_FN, FAULT_RESET_FN), and what it found (FAULT_SITES,
# FAULT_BAD, FAULT_END, FAULT_STOP, FAULT_HUNG and the rest below).

FAULT_TAIL=16
FAULT_HEAD=16

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
	local target=$1 n
	FAULT_VALUE=$2 FAULT_CHECK_FN=$3 FAULT_RESET_FN=$4
	FAULT_END=0 FAULT_BAD=0 FAULT_VISITS=0 FAULT_HUNG='' FAULT_STOP=''
	declare -gA FAULT_SEEN=() FAULT_SITES=() FAULT_N_SIG=() FAULT_FUNCS=()
	fault_open "$target"
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
		[ -z "$FAULT_SEED" ] || fault_visit_drawn
		fault_visit_tail
	fi
	[ -z "${FAULT_SEEK:-}" ] || fault_seek "$FAULT_SEEK" 4 tail
	fault_close
}

# The write's target, and its error message through an fd opened now:
# opening a file between arming fail-nth and the write would count
# allocations
fault_open() { # <write-target>
	exec {FAULT_TFD}>"$1"
	FAULT_ERRFILE=$(mktemp)
	exec {FAULT_ERRFD}>>"$FAULT_ERRFILE"
}
fault_close() {
	exec {FAULT_TFD}>&- {FAULT_ERRFD}>&-
	rm -f "$FAULT_ERRFILE" "$FAULT_ERRFILE.rc"
}

# fault_sweep_tail <write-target> <value> <check> <reset> <glob> up|down:
# the last FAULT_TAIL N of the write only, counted by one write that
# fails none, visited upwards or downwards until one fails at a site
# matching <glob>, 4 rounds at most (fault_seek). For a site among the
# last allocations that a failure at another one would hide: on a kernel
# where the links of a new port leak it, and the autoremove of an
# endpoint deadlocks, a reproducer of each visits in its own direction.
fault_sweep_tail() {
	local target=$1 glob=$5 dir=$6 n r end
	FAULT_VALUE=$2 FAULT_CHECK_FN=$3 FAULT_RESET_FN=$4
	FAULT_END=0 FAULT_BAD=0 FAULT_VISITS=0 FAULT_HUNG='' FAULT_STOP=''
	declare -gA FAULT_SEEN=() FAULT_SITES=() FAULT_N_SIG=() FAULT_FUNCS=()
	fault_open "$target"
	fault_recount || FAULT_END=0
	end=$FAULT_END
	for ((r = 0; r < 4 && FAULT_END > 0; r++)); do
		for ((n = 1; n <= FAULT_TAIL; n++)); do
			[ -z "$FAULT_STOP" ] || break 2
			if [ "$dir" = up ]; then
				unset "FAULT_SEEN[$((end - 1 - FAULT_TAIL + n))]"
				fault_visit "$((end - 1 - FAULT_TAIL + n))" || true
			else
				unset "FAULT_SEEN[$((end - n))]"
				fault_visit "$((end - n))" || true
			fi
			FAULT_END=$end
			fault_reached "$glob" && break 2
		done
	done
	fault_close
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
		echo "$FAULT_VALUE" 2>&"$FAULT_ERRFD" 1>&"$FAULT_TFD" || rc=1
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
		fault_check "$rc" "N=$n (no fault reached)" attached
		"$FAULT_RESET_FN"
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
	[ "$FAULT_BISECT" != sites ] || [ "${FAULT_N_SIG[$n]}" = nowarn ] || FAULT_N_SIG[$n]=$FAULT_CHAIN
	for f in "${FAULT_STACK[@]}"; do FAULT_FUNCS[${f%%[*}]=1; done
	fault_check "$rc" "N=$n at $FAULT_CHAIN" 'failed*' attached
	[ "$OUTCOME" != attached ] || OUTCOME=tolerated
	FAULT_SITES[$FAULT_CHAIN]+="$n:${OUTCOME:-BAD} "
	# the next attempt, without a fault, succeeds
	"$FAULT_RESET_FN"
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
	fault_check "$rc" "N=$n, the attempt after the fault" attached ||
		FAULT_STOP="N=$n at $FAULT_CHAIN broke the next attempt"
	"$FAULT_RESET_FN"
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
		*) fault_recount && fault_visit_tail again ;;
		esac
	done
}

# FAULT_END from a write that fails nothing: one past the allocations it
# makes now (a bind can make a few more after many, as ids and xarrays
# grow), so that the tail is the tail of this attempt. Fails, with a bad
# outcome, if that write fails or leaves the state wrong.
fault_recount() {
	local rc=0
	fault_write 100000 || rc=$?
	fault_mark count
	fault_collect count
	if [ "$rc" != 0 ] || [ "$FAULT_LEFT" = 0 ]; then
		echo "# the write without a fault did not complete (status $rc)"
		FAULT_BAD=$((FAULT_BAD + 1))
		return 1
	fi
	FAULT_END=$((100000 - FAULT_LEFT + 1))
	fault_check "$rc" "the write without a fault" attached || return 1
	"$FAULT_RESET_FN"
}

# Visit FAULT_EXTRA N drawn by FAULT_SEED from 1 .. FAULT_END - 1, those
# not visited yet; print the seed and the N, which replay with the same
# kernel arguments (cxlsweep=, cxlsweepseed=).
fault_visit_drawn() {
	local end=$FAULT_END n i drawn=()
	[ "$end" -gt 1 ] || return 0
	RANDOM=$FAULT_SEED
	for ((i = 0; i < FAULT_EXTRA; i++)); do drawn+=($((RANDOM % (end - 1) + 1))); done
	echo "# cxlsweepseed=$FAULT_SEED drew N=$(IFS=,; echo "${drawn[*]}") (replay: EXTRA_KERNEL_ARGS=\"cxlsweep=${FAULT_BISECT:-stacks} cxlsweepseed=$FAULT_SEED\")"
	for n in "${drawn[@]}"; do
		[ -z "$FAULT_STOP" ] || break
		fault_visit "$n" || true
	done
	FAULT_END=$end
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

# Run the caller's check on the write's status <rc>; count a bad outcome
# unless OUTCOME matches one of the patterns
fault_check() { # <rc> <what> <pattern>...
	local rc=$1 what=$2 p
	shift 2
	OUTCOME=
	"$FAULT_CHECK_FN" "$rc"
	for p; do
		# shellcheck disable=SC2053 # a pattern on purpose
		[[ $OUTCOME == $p ]] && return 0
	done
	echo "# $what: ${OUTCOME:-check failed}"
	FAULT_BAD=$((FAULT_BAD + 1))
	return 1
}

# fault_replay <write-target> <value> <reset> <glob> [<except>]: make the
# write fail again at the first N the sweep saw fail at a site matching
# <glob> (and not <except>), or near it: how many allocations come first
# varies by one or two (fault_seek), and by more for a new memdev, so the
# search goes on up to N+24. <reset> runs after each attempt that landed
# elsewhere. Leaves the failed state for the caller to look at;
# FAULT_REPLAY says which N landed there.
fault_replay() {
	local glob=$4 except=${5:-} n0 n d rc
	FAULT_VALUE=$2 FAULT_RESET_FN=$3
	FAULT_REPLAY=
	n0=$(fault_first_failed "$glob" "$except") || { echo "# the sweep failed no N at $glob"; return 1; }
	fault_open "$1"
	for d in 0 -1 1 -2 2 {3..24}; do
		n=$((n0 + d))
		[ "$n" -ge 1 ] || continue
		rc=0
		fault_write "$n" || rc=$?
		[ "$rc" != 2 ] || { FAULT_HUNG="$n (replay)"; break; }
		fault_mark "replay-$n"
		fault_collect "replay-$n" || break
		FAULT_CHAIN=
		if [ "$FAULT_LEFT" != 0 ]; then
			FAULT_CHAIN="no fault reached"
		elif ! fault_parse; then
			FAULT_CHAIN="no stack (a __GFP_NOWARN allocation)"
		fi
		# shellcheck disable=SC2053 # globs on purpose
		if [ "$rc" = 1 ] && [ "$FAULT_LEFT" = 0 ] &&
			[[ $FAULT_CHAIN == $glob && ( -z $except || $FAULT_CHAIN != $except ) ]]; then
			FAULT_REPLAY="N=$n at $FAULT_CHAIN"
			break
		fi
		echo "# replay N=$n: $FAULT_CHAIN, not the site"
		"$FAULT_RESET_FN" || { echo "# the reset after N=$n failed"; break; }
	done
	fault_close
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
