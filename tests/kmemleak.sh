#!/bin/bash
# Last test of every scenario: after all the loading, unbinding and
# unloading above, kmemleak finds nothing unreferenced. It first attaches
# and detaches every memdev once itself, so that it catches a leak in that
# path when it runs alone too (make mutants). Objects younger than
# kmemleak's minimum age are not reported, hence the wait.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "$0")/lib/cxl.sh"

km=/sys/kernel/debug/kmemleak

# kmemleak disables itself (and then accepts no "scan" and lists nothing)
# when it can not allocate its metadata, as it may after a fault sweep:
# an empty report then means nothing.
active() { # <when>
	local why
	why=$(dmesg | grep -m1 -B2 'Kernel memory leak detector disabled')
	[ -n "$why" ] || return 0
	echo "# kmemleak disabled itself ($1):"
	say "$why"
	return 1
}
scan() { # refused (EPERM) once kmemleak is disabled
	echo scan 2>/dev/null >"$km" || { echo "# echo scan >$km failed: kmemleak is disabled"; return 1; }
}
say() { local l; while IFS= read -r l; do echo "#   $l"; done <<<"$1"; }

# shellcheck disable=SC2317 # called through ktap_test_result
attach_all() {
	if modinfo cxl_test >/dev/null 2>&1; then
		modprobe cxl_test && modprobe cxl_mock_mem
	else
		modprobe cxl_acpi && modprobe cxl_pci && modprobe cxl_mem
	fi && eventually 10 all_attached && [ -n "$(memdevs)" ]
}

ktap_print_header
[ -e "$km" ] || ktap_skip_all "no $km (CONFIG_DEBUG_KMEMLEAK off?)"
ktap_set_plan 4
ktap_test_result "kmemleak is active before the scan" active "before the scan"
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
ktap_test_result "every memdev attaches once more" attach_all
[ ! -d /sys/module/cxl_test ] || modprobe -r "${MOCK_MODULES[@]}"
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
sleep 6
scanned=0
scan && scan && scanned=1
report=$(cat "$km")
if [ $scanned = 0 ] || ! active "after the scan"; then
	ktap_test_fail "kmemleak scanned: it is disabled, so an empty report means nothing"
else
	ktap_test_pass "kmemleak scanned, and is still active"
fi
if [ $scanned = 0 ]; then
	ktap_test_fail "kmemleak reports no leak: it did not scan"
elif [ -z "$report" ]; then
	ktap_test_pass "kmemleak reports no leak"
else
	echo "$report" | head -60 | sed 's/^/# /'
	ktap_test_fail "kmemleak reports $(grep -c '^unreferenced object' <<<"$report") leaks"
fi
ktap_finished
