# shellcheck shell=bash disable=SC2034,SC2054 # variables read by run-guest.sh
# Port enumeration's lifetime races, each probe held by kprobe_delay while
# a teardown runs (race-dead-port-lock, race-enumerate-dport,
# race-mem-probe-dport, race-decoder-target), then chaos on emulated CXL
# hardware (tests/chaos.sh), on the topology of
# scenarios/hw-stress.sh: random binds, unbinds and cxl_pci reloads from
# several tasks at once, with injected allocation failures (slab_nomerge,
# as in scenarios/hw-fault.sh, lets failslab leave kmemleak's and
# debugobjects' caches out) and kprobe_delay's waits, then kmemleak.
#
# SEED=<n> on the host replays a run's random choices (cxlseed=; without
# it the guest takes the time), with EXPLORE=<n> and SLICE=<i> the sites
# it draws from every CXL function (cxlexplore=, cxlslice=; default 16
# sites, the slice the seed picks: tests/lib/explore.sh);
# CHAOS_SECONDS=<s> sets how long the chaos lasts (cxlchaos=; default
# 180 s, FULL=1 twice, SOAK=1 ten times that; raise RUN_TEST_TIMEOUT with
# it). The chaos lasts the same wall time
# under KVM, which divides the budgets by 4: TEST_TIMEOUT leaves room for
# FULL=1's 360 s there.
# shellcheck source=scenarios/hw-stress.sh
. "$(dirname "${BASH_SOURCE[0]}")/hw-stress.sh"
KERNEL_ARGS+=" slab_nomerge cxlseed=${SEED:-} cxlchaos=${CHAOS_SECONDS:-}"
KERNEL_ARGS+=" cxlexplore=${EXPLORE:-} cxlslice=${SLICE:-}"
MODULE_FLAVOR=intree
SETS=(series)
TESTS=(race-dead-port-lock race-enumerate-dport race-mem-probe-dport race-decoder-target chaos kmemleak)
TIMEOUT=3600
TEST_TIMEOUT=1800
# SOAK=1: 30 min of chaos, and its setup and checks
if [ "${SOAK:-0}" = 1 ]; then
	TIMEOUT=6000
	TEST_TIMEOUT=4000
fi
