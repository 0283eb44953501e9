#!/usr/bin/env bash
# Judge one test of a guest run: prints "pass", "skip", "xfail: <why>" or
# "fail: <why>".
#
#   judge.sh <results-dir> <test> [guest-error]
#
# A test passes when it exited 0, printed a KTAP plan with no "not ok",
# and the kernel log written while it ran holds no splat.
set -euo pipefail

res=$1 t=$2 guest_err=${3:-}

# Kernel reports that fail whichever test was running
splat='BUG: |WARNING:|Oops|general protection fault|Kernel panic|UBSAN|ODEBUG|'
splat+='possible circular locking|possible recursive locking|inconsistent lock state|'
splat+='suspicious RCU usage|DEBUG_LOCKS_WARN_ON|INFO: task .* blocked for more than|'
splat+='kmemleak: [0-9]+ new suspected memory leak|refcount_t: '

if [ "$t" = boot ]; then	# the boot log, up to the first test
	if [ ! -e "$res/boot.dmesg" ]; then
		echo "fail: guest did not boot${guest_err:+ ($guest_err)}"
	elif grep -qE "$splat" "$res/boot.dmesg"; then
		echo "fail: kernel log: $(grep -m1 -oE "($splat).*" "$res/boot.dmesg" | cut -c1-100)"
	else
		echo pass
	fi
elif [ -e "$res/$t.running" ]; then
	echo "fail: ${guest_err:-guest stopped during this test}"
elif [ ! -e "$res/$t.rc" ]; then
	echo "fail: not run${guest_err:+ ($guest_err)}"
elif grep -qE "$splat" "$res/$t.dmesg" 2>/dev/null; then
	echo "fail: kernel log: $(grep -m1 -oE "($splat).*" "$res/$t.dmesg" | cut -c1-100)"
else
	rc=$(cat "$res/$t.rc")
	case $rc in
	0) if ! grep -qE '^1\.\.[0-9]+' "$res/$t.ktap"; then
		echo "fail: no KTAP plan"
	   elif grep -q '^not ok' "$res/$t.ktap"; then
		echo "fail: $(grep -m1 '^not ok' "$res/$t.ktap" | cut -c1-100)"
	   elif grep -q '^ok .* # XFAIL' "$res/$t.ktap"; then
		echo "xfail: $(grep -m1 '^ok .* # XFAIL' "$res/$t.ktap" | sed 's/^ok [0-9]* //; s/ # XFAIL$//' | cut -c1-100)"
	   else
		echo pass
	   fi ;;
	4) echo "skip" ;;
	124) echo "fail: timed out in the guest" ;;
	*) echo "fail: exit $rc, $(grep -m1 '^not ok' "$res/$t.ktap" | cut -c1-90)" ;;
	esac
fi
