#!/bin/bash
# After "modprobe cxl_acpi; modprobe cxl_pci", and nothing else (no udev, no
# modprobe cxl_mem, no settling), every Type-3 device has a memdev bound to
# cxl_mem whose endpoint port is bound to cxl_port. Fails on the base, where
# nothing loads cxl_mem.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "$0")/lib/cxl.sh"

ktap_print_header
ktap_set_plan 5
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"

modprobe cxl_acpi && modprobe cxl_pci
state=$(memdev_state)	# the instant modprobe returned
# shellcheck disable=SC2001 # prefixes every line of the snapshot
echo "$state" | sed 's/^/# /'

pci=$(type3_pci | wc -l)
bound=$(type3_pci | while read -r d; do driver_of "$d"; done | grep -c '^cxl_pci$')
ktap_test_result "every Type-3 function ($pci) is bound to cxl_pci" \
	count_is "cxl_pci bindings" "$bound" "$pci"
ktap_test_result "the scenario has at least 3 Type-3 functions" [ "$pci" -ge 3 ]
ktap_test_result "one memdev per Type-3 function" \
	count_is memdevs "$(memdevs | wc -l)" "$pci"
ktap_test_result "cxl_mem was loaded as a dependency of cxl_pci" [ -d /sys/module/cxl_mem ]
ktap_test_result "every memdev and its endpoint attached when modprobe returned" \
	all_bound "$state"

cxl_reset
ktap_finished
