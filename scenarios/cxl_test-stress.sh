# shellcheck shell=bash disable=SC2034,SC2054 # variables read by run-guest.sh
# Bind/unbind and module reload loops on tools/testing/cxl's mock topology
# (no accelerator there; the CXL root is the platform device cxl_acpi.0).
# A cycle attaches up to eleven memdevs, so the root, port and reload loops
# run fewer cycles than on hardware (tests/lib/stress.sh). make check-full
# (FULL=1) doubles the loop counts, SOAK=1 on the host multiplies them by
# ten (cxlfull= and cxlsoak= on the kernel command line).
# The teardown races run here too, before kmemleak: a guest of their own
# (scenarios/cxl_test-fault.sh) would cost a boot and a kmemleak scan more.
QEMU_ARGS=()
KERNEL_ARGS="cxlsoak=${SOAK:-0} cxlfull=${FULL:-0}"
MODULE_FLAVOR=cxl_test
SETS=(series)
TESTS=(stress-cxl-mem-rebind stress-port-rebind stress-root-rebind stress-mock-reload
	race-memdev-unbind race-hierarchy-probe kmemleak)
TIMEOUT=3000
TEST_TIMEOUT=900
