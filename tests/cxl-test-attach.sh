#!/bin/bash
# tools/testing/cxl's mock topology: when "modprobe cxl_mock_mem" returns,
# every mock memdev is attached to cxl_mem with its endpoint bound, and
# everything unloads again.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "$0")/lib/cxl.sh"

ktap_print_header
ktap_set_plan 3
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"

modprobe cxl_test && modprobe cxl_mock_mem
state=$(memdev_state)
# shellcheck disable=SC2001 # prefixes every line of the snapshot
echo "$state" | sed 's/^/# /'
ktap_test_result "cxl_test registers its 11 mock memdevs" \
	count_is memdevs "$(memdevs | wc -l)" 11
ktap_test_result "every mock memdev and its endpoint attached when modprobe returned" \
	all_bound "$state"

modprobe -r "${MOCK_MODULES[@]}"
# shellcheck disable=SC2016 # expanded by eval, when the check runs
ktap_test_result "cxl_test unloads and leaves no memdev" \
	eval 'cxl_reset && count_is memdevs "$(memdevs | wc -l)" 0'
ktap_finished
