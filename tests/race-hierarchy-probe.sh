#!/bin/bash
# shellcheck disable=SC2317 # functions called through together and stress_loop
# Tear the CXL hierarchy down while devices probe, many times, with random
# delays: unbind cxl_acpi from the CXL root, or cxl_port from the host
# bridge's port, while the accelerator and cxl_pci bind (on cxl_test: while
# cxl_mock_mem loads). Nothing hangs; once the hierarchy is back (and a
# probe or, for the accelerator, a new bind asked for), everything is
# attached and the topology is as at the start.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

cycles=$(stress_cycles 20 5)
root_stress_begin 3
memdev_count
n=$MEMDEVS
m=$(type3_memdev)
[ -n "$ACCEL" ] && t3=$(pci_of "$m")

# The probes
bind_accel() { rand_snooze 200; echo "$ACCEL" >"$ACCEL_DRV/bind"; }
bind_cxl_pci() { rand_snooze 200; echo "$t3" >/sys/bus/pci/drivers/cxl_pci/bind; }
load_mock_mem() { rand_snooze 200; modprobe cxl_mock_mem; }
# The teardowns
unbind_root() { rand_snooze 300; echo "$root" >"$acpi/unbind"; }
unbind_port() { rand_snooze 300; echo "$port" >"$CXL/drivers/cxl_port/unbind"; }

restore() {
	[ -e "/sys/bus/platform/devices/$root/driver" ] || echo "$root" >"$acpi/bind"
	[ ! -e "$CXL/devices/$port" ] || [ -e "$CXL/devices/$port/driver" ] ||
		echo "$port" >"$CXL/drivers/cxl_port/bind"
	cxl_flush
	probe_unbound
	if [ -n "$ACCEL" ]; then
		# an accelerator that probed without CXL runs as PCIe: bind it anew
		accel_mode_now
		[ "$AMODE" != pcie ] || echo "$ACCEL" >"$ACCEL_DRV/unbind"
		accel_back || return 1
	fi
	settles all_attached_now && memdevs_are "$n"
}

cycle() {
	local teardown=unbind_root
	[ $(($1 % 2)) = 0 ] && teardown=unbind_port
	if [ -n "$ACCEL" ]; then
		echo "$ACCEL" >"$ACCEL_DRV/unbind" && echo "$t3" >/sys/bus/pci/drivers/cxl_pci/unbind || return 1
		together bind_accel bind_cxl_pci "$teardown" || return 1
	else
		rmmod cxl_mock_mem || return 1
		together load_mock_mem "$teardown" || return 1
	fi
	restore || return 1
	ep_of "$m"
	port=$(hb_port_of "$EP")
}
ep_of "$m"
port=$(hb_port_of "$EP") || ktap_exit_fail_msg "no host bridge port above $m"
echo "# root $root, host bridge port $port; $n memdevs"
ktap_test_result "$cycles cycles of probing while the root or the host bridge port goes away" \
	stress_loop "probe vs teardown" "$cycles" cycle
stress_end
