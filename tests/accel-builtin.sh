#!/bin/bash
# shellcheck disable=SC2317 # functions called through ktap_test_result
# A memdev creator built into the kernel ahead of drivers/cxl (drivers/gpu,
# as a Type-2 driver there would be) probes at device_initcall, before
# anything of that level in drivers/cxl. It gets CXL.mem at boot only if
# cxl_mem_driver registered earlier, at subsys_initcall: else its memdev
# finds no driver, the all-or-nothing attach fails (-ENXIO) and it runs
# PCIe-only for good. The kernel of scenarios/hw-builtin.sh has every CXL
# driver built in and tests/builtin/cxl_builtin_accel.c linked from
# drivers/gpu/, holding the function with serial $ACCEL_SERIAL.
# tests/builtin/device-initcall.patch (BUILTIN_PATCH=) moves cxl_mem back to
# device_initcall, where a module_init() of a built-in driver runs: test 3
# fails then. tests/builtin/pmem-after-acpi.patch links cxl_pmem after
# cxl_acpi again (fixes/0010 undone): cxl_acpi's probe fails for the
# unbound nvdimm bridge, and test 2 fails.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

ktap_print_header
ktap_set_plan 5
ACCEL_DRV=/sys/bus/pci/drivers/cxl_builtin_accel
[ -d "$ACCEL_DRV" ] || ktap_exit_fail_msg "no built-in creator: this kernel is not scenarios/hw-builtin.sh's"
fns=()
for d in "$ACCEL_DRV"/0000:*; do
	[ -e "$d" ] && fns+=("${d##*/}")
done
[ "${#fns[@]}" = 1 ] || ktap_exit_fail_msg "cxl_builtin_accel holds ${#fns[@]} functions, not 1: ${fns[*]}"
ACCEL=${fns[0]}
echo "# accelerator: $ACCEL"

others_attached() { # cxl_pci, built in too, attached the other functions
	local n
	n=$(type3_memdevs | wc -l)
	count_is "Type-3 memdevs besides the accelerator's" "$n" 3 || return 1
	every_memdev attached
}

ktap_test_result "cxl_core, cxl_acpi, cxl_pmem, cxl_port, cxl_mem and cxl_pci are built in" built_in
ktap_test_result "the CXL root is up, its nvdimm bridge bound" root_up
ktap_test_result "it attached at boot: CXL.mem, its memdev and endpoint bound" accel_in_cxl_mode
ktap_test_result "cxl_pci attached the other functions" others_attached
accel_unbind
accel_bind
ktap_test_result "it attaches again when bound again" accel_in_cxl_mode
ktap_finished
