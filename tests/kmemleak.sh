#!/bin/bash
# Last test of every scenario: after all the loading, unbinding and
# unloading above, kmemleak finds nothing unreferenced. Objects younger
# than kmemleak's minimum age are not reported, hence the wait.
. "$(dirname "$0")/lib/cxl.sh"

km=/sys/kernel/debug/kmemleak
ktap_print_header
[ -e "$km" ] || ktap_skip_all "no $km (CONFIG_DEBUG_KMEMLEAK off?)"
ktap_set_plan 1
cxl_reset
sleep 6
echo scan >"$km"
echo scan >"$km"
report=$(cat "$km")
if [ -z "$report" ]; then
	ktap_test_pass "kmemleak reports no leak"
else
	echo "$report" | head -60 | sed 's/^/# /'
	ktap_test_fail "kmemleak reports $(grep -c '^unreferenced object' <<<"$report") leaks"
fi
ktap_finished
