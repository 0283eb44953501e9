# shellcheck shell=bash disable=SC2034,SC2054 # variables read by run-guest.sh
# Races and fault injection on tools/testing/cxl's mock topology. The fault
# test runs last: a fault can leave the kernel wedged (see its output).
# slab_nomerge: see scenarios/hw-fault.sh.
QEMU_ARGS=()
KERNEL_ARGS="cxlsoak=${SOAK:-0} slab_nomerge"
MODULE_FLAVOR=cxl_test
SETS=(series)
TESTS=(race-memdev-unbind race-hierarchy-probe fault-cxl-mem-bind kmemleak)
TIMEOUT=1500
TEST_TIMEOUT=400
