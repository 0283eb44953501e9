#!/bin/bash
# Scale and shape: every memdev attaches, including those behind the switch
# and on the second host bridge, at the depth the topology implies
# (root0 / host bridge port / switch port / endpoint). cxl_mem is loaded
# explicitly so that the base runs the same checks.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "$0")/lib/cxl.sh"

# Ports in the path of each endpoint: "memX <host bridge port> <depth>"
endpoint_paths() {
	local m p
	for m in $(memdevs); do
		p=$(readlink -f "$CXL/devices/$(endpoint_of "$m")")
		p=${p#*/root0/}
		echo "$m ${p%%/*} $(tr '/' '\n' <<<"$p" | grep -cE '^(port|endpoint)[0-9]+$')"
	done
}

ktap_print_header
ktap_set_plan 5
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
modprobe cxl_acpi && modprobe cxl_pci && modprobe cxl_mem

ktap_test_result "every memdev attached" eventually 10 all_attached
paths=$(endpoint_paths)
# shellcheck disable=SC2001 # prefixes every line
echo "$paths" | sed 's/^/# memdev, host bridge port, depth: /'
# shellcheck disable=SC2012 # counts port names, which are plain words
hbs=$(ls -d "$CXL"/devices/root0/port* 2>/dev/null | wc -l)
ktap_test_result "two host bridge ports under root0" count_is "host bridge ports" "$hbs" 2
ktap_test_result "memdevs on both host bridges" \
	count_is "host bridges with memdevs" "$(awk '{ print $2 }' <<<"$paths" | sort -u | wc -l)" 2
ktap_test_result "two memdevs behind the switch (endpoint depth 3)" \
	count_is "depth-3 endpoints" "$(awk '$3 == 3' <<<"$paths" | wc -l)" 2
ktap_test_result "cxl list shows every memdev with its endpoint" \
	count_is "cxl list endpoints" "$(cxl list -E 2>/dev/null | jq 'length')" "$(memdevs | wc -l)"

cxl_reset
ktap_finished
