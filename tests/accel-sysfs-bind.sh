#!/bin/bash
# A memdev with ops attaches in its creator's devm_cxl_add_memdev() or not
# at all. Between device_add() putting the memdev on the CXL bus and the
# creator's own probe of it, a bind of cxl_mem from sysfs finds it; that
# bind must be refused, so that the ->probe() op never runs outside the
# creator's probe, and the creator's attach must still give CXL mode with
# the op run once. The window is too short to hit by chance, so
# cxl_port_delay (tools/testing/cxl) holds the new memdev in it for
# HOLD_MS, and counts it held.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "$0")/lib/cxl.sh"

hold=${HOLD_MS:-4000}
delayed=/sys/module/cxl_port_delay/parameters/memdevs_delayed
ktap_print_header
ktap_set_plan 5
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
# shellcheck disable=SC2119 # accel_setup's arguments are module parameters; none here
accel_setup || ktap_exit_fail_msg "could not set up the accelerator"
accel_unbind
[ -z "$(accel_memdev)" ] || ktap_exit_fail_msg "unbinding the accelerator left $(accel_memdev)"
modprobe cxl_port_delay delay_ms=0 memdev_delay_ms="$hold" ||
	ktap_exit_fail_msg "could not load cxl_port_delay"
before=$(cat "$delayed")

# The creator: its bind returns once devm_cxl_add_memdev() has.
echo "$ACCEL" >"$ACCEL_DRV/bind" 2>/tmp/creator.err &
creator=$!
m=""
for _ in $(seq 40); do
	m=$(accel_memdev)
	[ -z "$m" ] || break
	sleep 0.1
done
held=$(($(cat "$delayed") - before))
echo "# memdev ${m:-none}, memdevs held: $held, bound: $(driver_of "$CXL/devices/$m" || echo no)"
# shellcheck disable=SC2016 # expanded by eval, when the check runs
ktap_test_result "the accelerator's new memdev is registered and held before its probe" \
	eval '[ -n "$m" ] && [ "$held" = 1 ] && [ ! -e "$CXL/devices/$m/driver" ]'

# The bind from sysfs, while the creator waits
if [ -z "$m" ]; then
	sysfs="not tried: no memdev"
elif echo "$m" 2>/tmp/sysfs.err >"$CXL/drivers/cxl_mem/bind"; then
	sysfs=accepted
else
	sysfs="refused ($(sed 's/.*: //' /tmp/sysfs.err))"
fi
still_held=no
if [ -n "$m" ] && kill -0 "$creator" 2>/dev/null; then still_held=yes; fi
echo "# sysfs bind of cxl_mem to ${m:-none}: $sysfs, creator still waiting: $still_held"
# shellcheck disable=SC2016 # expanded by eval, when the check runs
ktap_test_result "a bind of cxl_mem from sysfs, in that window, is refused" \
	eval '[ "${sysfs%% *}" = refused ] && [ "$still_held" = yes ]'

rc=0
wait "$creator" || rc=$?
cxl_flush
echo "# creator's bind: exit $rc $(cat /tmp/creator.err)"
# shellcheck disable=SC2016 # expanded by eval, when the check runs
ktap_test_result "the creator's own attach gives CXL mode" \
	eval '[ "$rc" = 0 ] && accel_in_cxl_mode'
ktap_test_result "the ->probe() op ran exactly once" count_is "op calls" "$(accel_op_calls)" 1

ktap_test_result "everything unloads" accel_teardown
trap - EXIT
ktap_finished
