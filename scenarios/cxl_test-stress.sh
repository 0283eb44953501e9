# shellcheck shell=bash disable=SC2034,SC2054 # variables read by run-guest.sh
# Stress, fault injection and races on tools/testing/cxl's mock topology
# (no accelerator there; the CXL root is the platform device cxl_acpi.0).
# SOAK=1 on the host multiplies the loop counts (cxlsoak= on the kernel
# command line). slab_nomerge: see scenarios/hw-fault.sh.
QEMU_ARGS=()
KERNEL_ARGS="cxlsoak=${SOAK:-0} slab_nomerge"
MODULE_FLAVOR=cxl_test
SETS=(series)
TESTS=(stress-cxl-mem-rebind stress-port-rebind stress-root-rebind stress-mock-reload
	fault-cxl-mem-bind race-hierarchy-probe race-memdev-unbind kmemleak)
TIMEOUT=1500
TEST_TIMEOUT=600
