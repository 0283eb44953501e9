#!/bin/bash
# The module graph that makes attach synchronous: cxl_pci links against
# cxl_mem, cxl_mem against cxl_port, with no soft dependency left; loaded
# users pin them; removing cxl_pci removes its memdevs.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "$0")/lib/cxl.sh"

# shellcheck disable=SC2317 # called through ktap_test_result
depends_on() { # <module> <dependency>
	local deps
	deps=$(modinfo -F depends "$1")
	echo "# $1 depends: $deps"
	[[ ,$deps, == *,$2,* ]]
}
# shellcheck disable=SC2317 # called through ktap_test_result
no_softdep() { # <module>
	local s
	s=$(modinfo -F softdep "$1")
	[ -z "$s" ] || { echo "# $1 softdep: $s"; return 1; }
}

ktap_print_header
ktap_set_plan 6
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"

ktap_test_result "cxl_pci depends on cxl_mem" depends_on cxl_pci cxl_mem
ktap_test_result "cxl_mem depends on cxl_port" depends_on cxl_mem cxl_port
ktap_test_result "cxl_mem has no softdep" no_softdep cxl_mem

modprobe cxl_acpi && modprobe cxl_pci
# shellcheck disable=SC2011 # module names, which are plain words
echo "# cxl_mem holders: $(ls /sys/module/cxl_mem/holders 2>/dev/null | xargs)"
ktap_test_result "modprobe -r cxl_mem is refused while cxl_pci is loaded" unremovable cxl_mem
ktap_test_result "modprobe -r cxl_port is refused while cxl_pci is loaded" unremovable cxl_port
modprobe -r cxl_pci
# shellcheck disable=SC2016 # expanded by eval, when the check runs
ktap_test_result "modprobe -r cxl_pci works and leaves no memdev" \
	eval '[ ! -d /sys/module/cxl_pci ] && count_is memdevs "$(memdevs | wc -l)" 0'

cxl_reset
ktap_finished
