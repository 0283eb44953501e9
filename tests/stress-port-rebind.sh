#!/bin/bash
# Unbind and bind the parent port of a memdev's endpoint, many times: the
# memdevs below it detach (an accelerator below it loses its driver), and
# after the bind (or, for a switch port that went away with its endpoints,
# without) and a probe everything attaches again.
# shellcheck source=tests/lib/stress.sh
. "$(dirname "$0")/lib/stress.sh"

cycles=$(stress_cycles 100 20)
ktap_print_header
stress_begin 3
m=$(type3_memdev)
port=$(parent_port_of "$(endpoint_of "$m")")

# shellcheck disable=SC2317 # called by stress_loop
cycle() {
	echo "$port" >"$CXL/drivers/cxl_port/unbind" || return 1
	cxl_flush
	detached "$m" || return 1
	[ -z "${ACCEL:-}" ] || accel_gone || return 1
	# a switch port that cxl_mem enumerated (cxl_test) goes away with its
	# last endpoint, and comes back, with a new id, when they probe again
	[ ! -e "$CXL/devices/$port" ] || echo "$port" >"$CXL/drivers/cxl_port/bind" || return 1
	probe_unbound
	accel_back || return 1
	settles all_attached_now || return 1
	ep_of "$m"
	port=$(parent_port_of "$EP")
}
ktap_test_result "$cycles cycles of cxl_port unbind/bind on $port (above $m)" \
	stress_loop "cxl_port $port" "$cycles" cycle
stress_end
