#!/usr/bin/env bash
# Judge one test of a guest run: prints "pass", "skip", "xfail: <why>" or
# "fail: <why>"; with -l, a tab and the file that shows why, as well.
#
#   judge.sh [-l] <results-dir> <test> [guest-error]
#
# A test passes when it exited 0, printed a KTAP plan with no "not ok",
# and the kernel log written while it ran holds no splat. The file is the
# test's .ktap, its .dmesg for a kernel report, or the run's console.log
# (next to <results-dir>) when the guest stopped before the test ended.
# In results/<set>/ of a guest that switched module trees, "boot" is the
# switch to that set (its kernel log, or the switch.err that says why it
# failed).
set -euo pipefail

with_log=0
if [ "${1:-}" = -l ]; then with_log=1; shift; fi
res=$1 t=$2 guest_err=${3:-}

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
console=$(run_console "$res")
splat=$SPLAT_RE	# kernel reports that fail whichever test was running

# Why the test failed, in <n> columns: its "Bail out!" line, or else its
# first "not ok" line.
reason() { # <n>
	{ grep -m1 -E '^[[:space:]]*Bail out!' "$res/$t.ktap" || grep -m1 '^not ok' "$res/$t.ktap"; } |
		sed 's/^[[:space:]]*//' | cut -c1-"$1" || true
}

logf=$res/$t.ktap
if [ "$t" = boot ]; then	# the boot log, up to the first test
	logf=$res/boot.dmesg
	if [ -e "$res/switch.err" ]; then
		v="fail: module set switch: $(head -c 100 "$res/switch.err")" logf=$res/switch.err
	elif [ ! -e "$res/boot.dmesg" ]; then
		v="fail: guest did not boot${guest_err:+ ($guest_err)}" logf=$console
	elif early=$(awk '/init: stage 1/ { exit } { print }' "$res/boot.dmesg" | grep -m1 -oE "($splat).*"); then
		# the kernel's own boot: run-guest.sh boots such a guest again, once
		v="fail: kernel report before init, the harness had loaded nothing: $(cut -c1-80 <<<"$early")"
	elif grep -qE "$splat" "$res/boot.dmesg"; then
		v="fail: kernel log: $(grep -m1 -oE "($splat).*" "$res/boot.dmesg" | cut -c1-100)"
	else
		v=pass
	fi
elif [ -e "$res/$t.running" ]; then
	v="fail: ${guest_err:-guest stopped during this test}" logf=$console
elif [ ! -e "$res/$t.rc" ]; then
	v="fail: not run${guest_err:+ ($guest_err)}" logf=$console
elif grep -qE "$splat" "$res/$t.dmesg" 2>/dev/null; then
	v="fail: kernel log: $(grep -m1 -oE "($splat).*" "$res/$t.dmesg" | cut -c1-100)" logf=$res/$t.dmesg
else
	rc=$(cat "$res/$t.rc")
	case $rc in
	0) if grep -qE '^[[:space:]]*Bail out!' "$res/$t.ktap"; then
		v="fail: $(reason 100)"
	   elif ! grep -qE '^1\.\.[0-9]+' "$res/$t.ktap"; then
		v="fail: no KTAP plan"
	   elif grep -q '^not ok' "$res/$t.ktap"; then
		v="fail: $(grep -m1 '^not ok' "$res/$t.ktap" | cut -c1-100)"
	   elif grep -q '^ok .* # XFAIL' "$res/$t.ktap"; then
		v="xfail: $(grep -m1 '^ok .* # XFAIL' "$res/$t.ktap" | sed 's/^ok [0-9]* //; s/ # XFAIL$//' | cut -c1-100)"
	   else
		v=pass
	   fi ;;
	4) v=skip ;;
	124) v="fail: timed out in the guest" ;;
	*) v="fail: exit $rc, $(reason 90)" ;;
	esac
fi
if [ "$with_log" = 1 ]; then printf '%s\t%s\n' "$v" "$logf"; else echo "$v"; fi
