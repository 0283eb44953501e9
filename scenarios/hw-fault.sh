# shellcheck shell=bash disable=SC2034,SC2054 # variables read by run-guest.sh
# Fault injection and races on emulated CXL hardware, on the topology of
# scenarios/hw-stress.sh (one host bridge, a Type-3 memdev, the function the
# mock accelerator takes over). slab_nomerge lets the fault tests leave
# kmemleak's and debugobjects' caches out of failslab (a cache can only be
# marked when it is not merged with others). The fault tests run last, the
# series' own path first: a fault that hits a kernel bug can leave the
# devices wedged or memory corrupted for whatever runs after it.
# shellcheck source=scenarios/hw-stress.sh
. "$(dirname "${BASH_SOURCE[0]}")/hw-stress.sh"
KERNEL_ARGS+=" slab_nomerge"
TESTS=(race-queued-detach race-memdev-unbind race-hierarchy-probe race-creator-rebind
	race-creator-deferred fault-endpoint-links fault-port-cdat fault-accel-bind fault-cxl-mem-bind kmemleak)
TIMEOUT=3600
TEST_TIMEOUT=1200
