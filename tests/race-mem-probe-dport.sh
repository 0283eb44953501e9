#!/bin/bash
# shellcheck disable=SC2317 # functions called through stress_loop
# cxl_mem_probe() gets its dport from cxl_mem_find_port(), which takes a
# reference on the port above the memdev and none on the dport. The probe
# reads the dport (dport->rch, the RAS setup) before it takes that port's
# lock, the lock under which the port's unbind frees its dports, and under
# the lock hands it to devm_cxl_add_endpoint() as the endpoint's
# parent_dport. Many times: hold the probe at the return of
# cxl_mem_find_port() (tests/lib/delay.sh) and, the moment it gets there,
#   1. unbind cxl_port from that port: its dports are freed meanwhile;
#   2. unbind it and bind it again: the probe then finds the port enabled
#      under the lock, and the endpoint takes the freed dport, which
#      reading the endpoint's attributes and links uses.
# A kernel that uses the dport without keeping it alive reads freed memory
# (KASAN). Where the dport is looked up again under the port's lock, the
# first bind fails or attaches through the port's new dport, and once the
# port is bound again the memdev attaches. About 2-3 s a cycle under TCG.
# fixes/0011 looks the dport up again under the port's lock
# (scenarios/fixes-mem-dport.sh runs this on the base and with the fixes;
# hw-chaos on the series). On the base, the first cycle fails: 'BUG:
# KASAN: slab-use-after-free in cxl_mem_probe' (a 1-byte read,
# dport->rch; freed by the port's unbind_store), not ok 3.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"
# shellcheck source=tests/lib/delay.sh
. "$(dirname "$0")/lib/delay.sh"

cycles=$(stress_cycles 4 2)
site=cxl_mem_find_port%return
ktap_print_header
stress_begin 6
trap 'delay_unload; stress_teardown >/dev/null 2>&1' EXIT
m=$(type3_memdev)
held_race_begin "$site"

unbind_port() { echo "$port" >"$CXL/drivers/cxl_port/unbind"; }
rebind_port() { unbind_port && echo "$port" >"$CXL/drivers/cxl_port/bind"; }
# Read what an endpoint shows of its parent dport: its attributes, and
# the link to the dport's device
use_endpoint() {
	local f
	ep_of "$m"
	[ -n "$EP" ] || return 0
	for f in "$CXL/devices/$EP"/*; do
		if [ -L "$f" ]; then
			readlink "$f" >/dev/null 2>&1 || :
		elif [ -f "$f" ] && [ -r "$f" ]; then
			{ read -r _ <"$f"; } 2>/dev/null || :
		fi
	done
}
restore() {
	use_endpoint
	[ -e "$CXL/devices/$port/driver" ] ||
		{ echo "$port" >"$CXL/drivers/cxl_port/bind"; } 2>/dev/null ||
		echo "# $port could not be bound again; the rescan below must bring its memdevs back"
	held_attached_again
}
held_cycle() { # <teardown>
	ep_of "$m"
	[ -n "$EP" ] || { echo "# $m has no endpoint"; return 1; }
	port=$(parent_of "$CXL/devices/$EP")
	held_probe "$m" "$site" "$1" && restore
}
unbind_cycle() { held_cycle unbind_port; }
rebind_cycle() { held_cycle rebind_port; }

# cxlmemdport=unbind or =rebind runs one case alone. Once the kernel has
# reported a use-after-free, the next case is not run: on 7.2.8 the
# endpoint that keeps a freed dport faults reading its parent_dport link,
# and takes the guest down with this test's results.
cases=$(cmdline_arg cxlmemdport)
cases=${cases:-unbind rebind}
ran=0
for c in unbind rebind; do
	d="$cycles cycles: $m's probe holds its dport while the port above it unbinds"
	[ "$c" = unbind ] || d+=" and binds again"
	if [[ " $cases " != *" $c "* ]]; then
		ktap_test_skip "$d (cxlmemdport=$cases)"
	elif [ "$ran" -gt 0 ] && ! klog_quiet >/dev/null; then
		ktap_test_skip "$d: the kernel has reported already"
	else
		ktap_test_result "$d" stress_loop "probe vs port $c" "$cycles" "${c}_cycle"
		ran=$((ran + cycles))
	fi
done
held_race_end "$ran"
stress_end
