#!/bin/bash
# shellcheck disable=SC2317 # functions called through ktap_test_result
# Every CXL driver built in, no creator: the topology of scenarios/hw.sh is
# up when userspace starts. cxl_acpi's probe registers an nvdimm bridge
# that must bind at once, so cxl_pmem's driver must be registered first:
# Linux 7.2.8 runs cxl_acpi_init() at subsys_initcall_sync, after
# cxl_pmem's subsys_initcall. At subsys_initcall, linked ahead of cxl_pmem
# (tests/builtin/mainline-acpi-subsys-initcall.patch, as 6.19.11 is) the
# probe fails, there is no CXL root, and no memdev ever attaches.
# (scenarios/mainline-builtin.sh; the 6.19.11 series has its own,
# accel-builtin.)
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

ktap_print_header
ktap_set_plan 3

every_function_attached() { # a memdev per Type-3 function, each attached
	local n m
	n=$(type3_pci | wc -l)
	count_is "Type-3 functions" "$n" 4 || return 1
	m=$(memdevs | wc -l)
	count_is "memdevs" "$m" "$n" || return 1
	all_attached
}

ktap_test_result "cxl_core, cxl_acpi, cxl_pmem, cxl_port, cxl_mem and cxl_pci are built in" built_in
ktap_test_result "the CXL root is up, its nvdimm bridge bound" root_up
cxl_flush
eventually 30 every_function_attached >/dev/null
ktap_test_result "every Type-3 function's memdev attached at boot" every_function_attached
ktap_finished
