#!/bin/bash
# shellcheck disable=SC2317 # functions called through stress_loop
# A memdev's cxl_mem probe looks up its dport under the lock of the port
# above it; the port's unbind frees that dport under the same lock. Many
# times: hold the probe at the entry of cxl_gpf_port_setup(), which it
# reaches with the dport it found, after cxl_add_ep() (inlined where the
# fix leaves it one caller), and unbind cxl_port from that port the moment
# the probe gets there (tests/lib/delay.sh). On a kernel that uses the dport after dropping the
# lock, the unbind frees it meanwhile and KASAN reports the read; where
# the probe holds the lock, the unbind waits for it. Either way the bind
# ends, and once the port is bound again the memdev attaches.
# patches/fixes/: "Use a dport only under its port's lock in port
# enumeration". About 15 s a cycle under TCG.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"
# shellcheck source=tests/lib/delay.sh
. "$(dirname "$0")/lib/delay.sh"

cycles=$(stress_cycles 6 3)
ktap_print_header
stress_begin 5
trap 'delay_unload; stress_teardown >/dev/null 2>&1' EXIT
m=$(type3_memdev)
held_race_begin cxl_gpf_port_setup

unbind_port() { echo "$port" >"$CXL/drivers/cxl_port/unbind"; }
restore() {
	[ -e "$CXL/devices/$port/driver" ] || echo "$port" >"$CXL/drivers/cxl_port/bind"
	held_attached_again
}
cycle() {
	ep_of "$m"
	[ -n "$EP" ] || { echo "# $m has no endpoint"; return 1; }
	port=$(parent_of "$CXL/devices/$EP")
	held_probe "$m" cxl_gpf_port_setup unbind_port && restore
}

ktap_test_result "$cycles cycles: $m's probe holds its dport while the port above it unbinds" \
	stress_loop "probe vs port unbind" "$cycles" cycle
held_race_end "$cycles"
stress_end
