#!/bin/bash
# shellcheck disable=SC2317 # functions called through stress_loop
# A dport that a memdev's probe adds to a port after the port's decoders
# were set up goes into their target lists (update_decoder_targets()); as
# a later devm resource of the port, it is freed before those decoders
# when the port unbinds. Many times: bring the host bridge's port up with
# the dport of another memdev first and then that of a Type-3 memdev,
# unbind the port, hold it for 300 ms at every decoder's unregistration
# (cxld_unregister(), tests/lib/delay.sh: its children's decoders go
# first, then the late dport, then its own decoders), and read its
# decoders' target_list all along. A kernel whose decoders still name the freed
# dport reads freed memory (KASAN); where the dport leaves the lists
# first, the reads are clean. Found by tests/chaos.sh's sysfs reader.
# patches/fixes/: "Take a dport out of its port's decoder targets before
# freeing it". About 15 s a cycle under TCG.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"
# shellcheck source=tests/lib/delay.sh
. "$(dirname "$0")/lib/delay.sh"

cycles=$(stress_cycles 5 3)
site=cxld_unregister
ktap_print_header
stress_begin 5
trap 'delay_unload; stress_teardown >/dev/null 2>&1' EXIT
m=$(type3_memdev)
ep_of "$m"
port=$(hb_port_of "$EP") || ktap_exit_fail_msg "no host bridge port above $m"
held_race_begin "$site"
reads=0

# Every memdev but $m attaches first (the accelerator through its bind),
# then $m: its dport comes after the port's decoders
late_dport_up() {
	local d
	echo "$port" >"$CXL/drivers/cxl_port/bind" || return 1
	if [ -n "$ACCEL" ]; then
		accel_back >/dev/null || return 1
	fi
	for d in $(memdevs); do
		[ "$d" = "$m" ] || [ -e "$CXL/devices/$d/driver" ] || echo "$d" >"$CXL/drivers_probe"
	done
	echo "$m" >"$CXL/drivers/cxl_mem/bind" && cxl_flush
}
read_targets() { # every decoder's target list of $port, while they last
	local f n=0
	for f in "$CXL/devices/$port"/decoder*/target_list; do
		{ read -r _ <"$f" && n=$((n + 1)); } 2>/dev/null
	done
	reads=$((reads + n))
	[ "$n" -gt 0 ]
}
cycle() {
	local pid n
	echo "$port" >"$CXL/drivers/cxl_port/unbind" && cxl_flush && late_dport_up || return 1
	delay_hits "$site"
	n=$DHITS
	delay_set 300000
	echo "$port" >"$CXL/drivers/cxl_port/unbind" &
	pid=$!
	if delay_await "$site" "$n" 10000 && read_targets; then
		HELD_HITS=$((HELD_HITS + 1))
		while kill -0 "$pid" 2>/dev/null && read_targets; do :; done
	fi
	wait_pids 60 "$pid"
	delay_set 0
	echo "$port" >"$CXL/drivers/cxl_port/bind" && held_attached_again
}

ktap_test_result "$cycles cycles: $port's decoders read while its unbind is held before their unregistration" \
	stress_loop "target_list vs port unbind" "$cycles" cycle
echo "# $reads target lists read"
held_race_end "$cycles"
stress_end
