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
# misses; the subtests that failed instead are named.
set -euo pipefail
res=$1 t=$2 want=$3 err=${4:-}
k=$res/$t.ktap
missed() { echo "missed: $*"; exit 1; }

v=$("$(dirname "$0")/judge.sh" "$res" "$t" "$err")
[ -e "$res/boot.dmesg" ] || missed "the guest did not boot${err:+ ($err)}"
if [ ! -e "$res/$t.rc" ] || [ -e "$res/$t.running" ]; then missed "$t did not end: $v"; fi
case $v in pass | skip | xfail*) missed "$t says $v" ;; esac
if grep -qE '^[[:space:]]*Bail out!' "$k"; then
	missed "$t bailed out: $(grep -m1 -E 'Bail out!' "$k" | sed 's/^[[:space:]]*//')"
fi

if [ "$want" = "kernel report" ]; then
	case $v in "fail: kernel log:"*) echo "caught: ${v#fail: }"; exit 0 ;; esac
	missed "no kernel report while $t ran ($v)"
fi
others=()
while read -r line; do
	desc=${line#not ok }
	desc=${desc#* }
	desc=${desc%% # *}
	# shellcheck disable=SC2053 # $want is a glob
	if [[ $desc == $want ]]; then
		echo "caught: $line"
		exit 0
	fi
	others+=("$line")
done < <(grep -E '^not ok [0-9]+ ' "$k")
[ "${#others[@]}" -gt 0 ] || missed "no subtest of $t failed ($v)"
missed "no failed subtest of $t is '$want'; failed instead: $(printf '%s; ' "${others[@]}" | cut -c1-300)"
