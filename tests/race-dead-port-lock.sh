#!/bin/bash
# shellcheck disable=SC2317 # functions called through stress_loop
# Port enumeration finds a port without a lock, holds a reference on it,
# and then takes the lock its registration happens under: its parent
# port's, or for a host bridge's port the CXL root host's. A port found
# that way may be dead already: the root's unbind unregisters the host
# bridge's port and frees the root's dports, its parent dport among them.
# Many times: hold a memdev's probe right after it found the host bridge's
# port and unbind cxl_acpi from the root meanwhile. find_cxl_port_by_uport()
# is inlined: the hold (tests/lib/delay.sh) sits on the return of the
# debug message between the lookup and the lock, "found already registered
# port", which dynamic debug enables alone (dev_vprintk_emit(), through
# which every dev_*() message goes; __dynamic_dev_dbg() is not traceable). A kernel that reaches for the
# registration lock through port->parent_dport reads freed memory (KASAN);
# through the parent port that the port's device pins, the probe fails
# cleanly or retries. Once the root is bound again, the memdev attaches.
# patches/fixes/: "Wait for a port's registration before adding a dport
# to it". About 15 s a cycle under TCG.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"
# shellcheck source=tests/lib/delay.sh
. "$(dirname "$0")/lib/delay.sh"

cycles=$(stress_cycles 6 3)
acpi=/sys/bus/platform/drivers/cxl_acpi
ktap_print_header
stress_begin 5
trap 'delay_unload; stress_teardown >/dev/null 2>&1' EXIT
root=$(cxl_root_dev) || ktap_exit_fail_msg "no CXL root device"
m=$(type3_memdev)
site=dev_vprintk_emit%return
ddebug_site='module cxl_core format found\040already\040registered\040port'
trap 'echo "$ddebug_site -p" >"$DDEBUG"; delay_unload; stress_teardown >/dev/null 2>&1' EXIT
echo "$ddebug_site +p" >"$DDEBUG" || ktap_exit_fail_msg "could not enable: $ddebug_site"
held_race_begin "$site"

unbind_root() { echo "$root" >"$acpi/unbind"; }
restore() {
	[ -e "/sys/bus/platform/devices/$root/driver" ] || echo "$root" >"$acpi/bind"
	held_attached_again
}
cycle() {
	held_probe "$m" "$site" unbind_root && restore
}

ktap_test_result "$cycles cycles: $m's probe holds the host bridge's port while the root unbinds" \
	stress_loop "probe vs root unbind" "$cycles" cycle
held_race_end "$cycles"
echo "$ddebug_site -p" >"$DDEBUG"
stress_end
