#!/bin/bash
# Tear the hierarchy down under Type-3 memdevs (created without ops) from
# three places: cxl_mem itself, the endpoint's parent port, and the cxl_acpi
# root. The memdevs stay registered, cxl_pci stays bound, and everything
# attaches again when the hierarchy comes back. cxl_mem is loaded explicitly
# so that the base runs the same sequence.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "$0")/lib/cxl.sh"

# <memX> is registered but not attached, and its PCI function keeps cxl_pci
# shellcheck disable=SC2317 # called through ktap_test_result
detached_but_kept() {
	local m=$1
	[ -d "$CXL/devices/$m" ] || { echo "# $m is gone"; return 1; }
	[ -z "$(driver_of "$CXL/devices/$m")" ] || { echo "# $m still bound"; return 1; }
	[ -z "$(endpoint_of "$m")" ] || { echo "# $m still has $(endpoint_of "$m")"; return 1; }
	[ "$(driver_of "/sys/bus/pci/devices/$(pci_of "$m")")" = cxl_pci ] ||
		{ echo "# $(pci_of "$m") lost cxl_pci"; return 1; }
}
# shellcheck disable=SC2317 # called through ktap_test_result
each_detached_but_kept() { # <memX...>
	local m
	[ $# -gt 0 ] || { echo "# no memdev to check"; return 1; }
	for m; do detached_but_kept "$m" || return 1; done
}
# shellcheck disable=SC2317,SC2046 # called through ktap_test_result; memdev names, one word each
all_detached_but_kept() { each_detached_but_kept $(memdevs); }

ktap_print_header
ktap_set_plan 7
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
modprobe cxl_acpi && modprobe cxl_pci && modprobe cxl_mem
ktap_test_result "all memdevs attached to start with" eventually 10 all_attached

m=$(memdevs | head -n1)
ep=$(endpoint_of "$m")
port=$(parent_port_of "$ep")
echo "# $m: endpoint $ep under $port, PCI $(pci_of "$m")"

echo "$m" >"$CXL/drivers/cxl_mem/unbind"
cxl_flush
ktap_test_result "unbind cxl_mem from $m: $m stays, detached, cxl_pci kept" detached_but_kept "$m"
echo "$m" >"$CXL/drivers/cxl_mem/bind"
ktap_test_result "bind $m again: everything attached" eventually 10 all_attached

ep=$(endpoint_of "$m")
port=$(parent_port_of "$ep")
below=$(for x in $(memdevs); do e=$(endpoint_of "$x"); [ "$(parent_port_of "$e")" = "$port" ] && echo "$x"; done | xargs)
echo "$port" >"$CXL/drivers/cxl_port/unbind"
cxl_flush
# shellcheck disable=SC2086 # one argument per memdev name
ktap_test_result "unbind $port: memdevs below it ($below) stay, detached" \
	each_detached_but_kept $below
echo "$port" >"$CXL/drivers/cxl_port/bind"
probe_unbound
ktap_test_result "bind $port again and probe: everything attached" eventually 10 all_attached

root=$(basename "$(readlink -f /sys/bus/platform/drivers/cxl_acpi/ACPI0017:*)")
echo "$root" >/sys/bus/platform/drivers/cxl_acpi/unbind
cxl_flush
ktap_test_result "unbind cxl_acpi from $root: every memdev stays, detached" all_detached_but_kept
echo "$root" >/sys/bus/platform/drivers/cxl_acpi/bind
ktap_test_result "bind cxl_acpi again: everything attached, no probe needed" eventually 10 all_attached

cxl_reset
ktap_finished
