#!/usr/bin/env bash
# Whether a mutant was caught where it says it must be (scripts/mutants.sh).
#
#   caught.sh <results-dir> <test> <subtest> [guest-error]
#
# <subtest> is a glob over the description of a "not ok" line of the
# test's KTAP, or "kernel report": a splat in the kernel log while the test
# ran. Prints "caught: <what failed>" and exits 0, or "missed: <why>" and
# exits 1. Only the named subtest counts. A guest that did not boot or
# stopped, a test that bailed out, and a different subtest failing are
# misses (a bail-out after the named subtest failed is not: a deadlock the
# subtest reports ends the test that way); the subtests that failed
# instead are named. Two exceptions: a
# kernel report the console shows while the test ran counts for "kernel
# report" even if the guest then died (a use after free, say, that the
# emulated device does not survive), and so does the named subtest's "not
# ok" if the guest died after printing it (the mutant's module code called
# after the module is gone).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
res=$1 t=$2 want=$3 err=${4:-}
k=$res/$t.ktap
console=$(run_console "$res") marker=$t
# init.sh marks a test of results/<set>/ as <set>/<test>
[ "$(dirname "$console")/results" = "${res%/}" ] || marker=$(basename "$res")/$t
missed() { echo "missed: $*"; exit 1; }

# The first kernel report in the console after init.sh started test $t
console_splat() {
	local from
	from=$(grep -n -m1 "init: test $marker\b" "$console" 2>/dev/null | cut -d: -f1) || return 1
	[ -n "$from" ] || return 1
	tail -n +"$from" "$console" | tr -d '\r' | grep -m1 -oE "($SPLAT_RE).*" | cut -c1-100
}

v=$("$(dirname "$0")/judge.sh" "$res" "$t" "$err")
[ ! -e "$res/switch.err" ] || missed "the module set switch failed: $(head -c 200 "$res/switch.err")"
[ -e "$res/boot.dmesg" ] || missed "the guest did not boot${err:+ ($err)}"
# The first "not ok" line of $k whose description is $want
failed_as_wanted() {
	local line desc
	while read -r line; do
		desc=${line#not ok }
		desc=${desc#* }
		desc=${desc%% # *}
		# shellcheck disable=SC2053 # $want is a glob
		[[ $desc == $want ]] && { echo "$line"; return 0; }
	done < <(grep -E '^not ok [0-9]+ ' "$k" 2>/dev/null)
	return 1
}

if [ ! -e "$res/$t.rc" ] || [ -e "$res/$t.running" ]; then
	if [ "$want" = "kernel report" ] && s=$(console_splat) && [ -n "$s" ]; then
		echo "caught: $s (console; then the guest ended${err:+: $err})"
		exit 0
	fi
	# What a mutant breaks may take the guest down after the subtest
	# that shows it has failed (module code called after its removal)
	if [ "$want" != "kernel report" ] && l=$(failed_as_wanted); then
		echo "caught: $l (then the guest ended: $v)"
		exit 0
	fi
	missed "$t did not end: $v"
fi
case $v in pass | skip | xfail*) missed "$t says $v" ;; esac
bailed=$(grep -m1 -E '^[[:space:]]*Bail out!' "$k" | sed 's/^[[:space:]]*//') || :

if [ "$want" = "kernel report" ]; then
	case $v in "fail: kernel log:"*) echo "caught: ${v#fail: }"; exit 0 ;; esac
	missed "no kernel report while $t ran ($v)"
fi
if l=$(failed_as_wanted); then
	echo "caught: $l"
	exit 0
fi
others=()
while read -r line; do
	others+=("$line")
done < <(grep -E '^not ok [0-9]+ ' "$k")
[ -z "$bailed" ] || missed "$t bailed out before '$want' failed: $bailed"
[ "${#others[@]}" -gt 0 ] || missed "no subtest of $t failed ($v)"
missed "no failed subtest of $t is '$want'; failed instead: $(printf '%s; ' "${others[@]}" | cut -c1-300)"
