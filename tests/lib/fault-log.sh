# shellcheck shell=bash disable=SC2034,SC2153 # globals the parts of tests/lib/fault.sh share
# The kernel log of a fault test (tests/lib/fault.sh): a copy of /dev/kmsg
# since the test began (FAULT_LOG, read through FAULT_LOGFD), markers that
# carry the test's tag (FAULT_TAG: /dev/kmsg replays what earlier tests
# logged, their markers included), and the stack failslab prints for an
# injected fault.

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
