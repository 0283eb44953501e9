# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# Races and fault injection on tools/testing/cxl's mock topology, for
# make run: make check-full runs the races in cxl_test-stress. slab_nomerge: see
# scenarios/hw-fault.sh.
#
# The fail-nth sweep of a cxl_mem bind (fault-cxl-mem-bind) runs on hardware
# only (hw-fault): every cxl_test memdev has persistent capacity, and a
# failed attempt's nvdimm, which libnvdimm registers asynchronously, can fail
# to register and then be deleted again by cxl_core, a use-after-free in
# nvdimm_delete() (patches/fixes/0000-cover-letter.patch). To run it here anyway:
#   make run SCENARIO=cxl_test-fault TESTS="fault-cxl-mem-bind kmemleak"
QEMU_ARGS=()
KERNEL_ARGS="cxlsoak=${SOAK:-0} slab_nomerge"
MODULE_FLAVOR=cxl_test
SETS=(series)
TESTS=(race-memdev-unbind race-hierarchy-probe kmemleak)
TIMEOUT=2400
TEST_TIMEOUT=900
