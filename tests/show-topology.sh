#!/bin/bash
# The main job's view: load the drivers as a system does at boot, with no
# udev (modprobe cxl_acpi; modprobe cxl_pci), then show what attached.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "$0")/lib/cxl.sh"

ktap_print_header
ktap_set_plan 1
modprobe cxl_acpi && modprobe cxl_pci
state=$(memdev_state)
echo "# cxl list -BEMPDu:"
cxl list -BEMPDu 2>&1 | sed 's/^/#   /'
echo "# memdev  driver    endpoint  endpoint driver"
while read -r m d e ed; do
	printf '# %-7s %-9s %-9s %s\n' "$m" "$d" "$e" "$ed"
done <<<"$state"
ktap_test_result "every memdev bound to cxl_mem with its endpoint bound to cxl_port" \
	all_bound "$state"
ktap_finished
