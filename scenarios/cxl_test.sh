# shellcheck shell=bash disable=SC2034,SC2054 # variables read by run-guest.sh
# tools/testing/cxl mock topology: no emulated CXL devices. Relies on the two
# NUMA nodes of the common base (scripts/run-guest.sh), as cxl_test places its
# mock devices on nodes 0 and 1.
QEMU_ARGS=()
KERNEL_ARGS=""
MODULE_FLAVOR=cxl_test
TESTS=(cxl-test-attach kmemleak)
# make check runs the base on hw only, where the contract tests fail on it;
# check-full and SERIES=none run the base here too (BASE_TOO=1)
SETS=(series ${BASE_TOO:+base})
TIMEOUT=1500
TEST_TIMEOUT=300	# a hung test is killed, the others still run
