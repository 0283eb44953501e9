#!/bin/bash
# Last test of every scenario: after all the loading, unbinding and
# unloading above, kmemleak finds nothing unreferenced. It first attaches
# and detaches every memdev once itself, so that it catches a leak in that
# path when it runs alone too (make mutants). Objects younger than
# kmemleak's minimum age are not reported, hence the wait.
. "$(dirname "$0")/lib/cxl.sh"

km=/sys/kernel/debug/kmemleak

attach_all() {
	if modinfo cxl_test >/dev/null 2>&1; then
		modprobe cxl_test && modprobe cxl_mock_mem
	else
		modprobe cxl_acpi && modprobe cxl_pci && modprobe cxl_mem
	fi && eventually 10 all_attached && [ -n "$(memdevs)" ]
}

ktap_print_header
[ -e "$km" ] || ktap_skip_all "no $km (CONFIG_DEBUG_KMEMLEAK off?)"
ktap_set_plan 2
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
ktap_test_result "every memdev attaches once more" attach_all
[ ! -d /sys/module/cxl_test ] || modprobe -r "${MOCK_MODULES[@]}"
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
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
