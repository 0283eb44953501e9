#!/bin/bash
# An accelerator calling devm_cxl_add_memdev(cxlds, &ops) gets CXL.mem end
# to end when the hierarchy is there: its memdev and endpoint are attached
# when the call returns, and the ->probe() op ran exactly once. Unbinding
# the accelerator takes its memdev with it.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "$0")/lib/cxl.sh"

ktap_print_header
ktap_set_plan 5
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"
# shellcheck disable=SC2119 # accel_setup's arguments are module parameters; none here
accel_setup || ktap_exit_fail_msg "could not set up the accelerator"
echo "# accelerator $ACCEL, memdev $(accel_memdev)"

ktap_test_result "accelerator bound in CXL mode, memdev and endpoint attached" accel_in_cxl_mode
ktap_test_result "the ->probe() op ran exactly once" count_is "op calls" "$(accel_op_calls)" 1
ktap_test_result "the other Type-3 devices keep their memdevs" \
	type3_kept "$(($(type3_pci | wc -l) - 1))"
m=$(accel_memdev)
accel_unbind
# shellcheck disable=SC2016 # expanded by eval, when the check runs
ktap_test_result "unbinding the accelerator removes its memdev ($m)" \
	eval '[ -z "$(accel_memdev)" ] && [ ! -e "$CXL/devices/$m" ]'
accel_bind
# shellcheck disable=SC2016 # expanded by eval, when the check runs
ktap_test_result "binding it again: CXL mode, op ran once more" \
	eval 'accel_in_cxl_mode && count_is "op calls" "$(accel_op_calls)" 1'

accel_teardown; trap - EXIT
ktap_finished
