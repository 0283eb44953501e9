# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# The attach contract, port enumeration's races and the chaos on cascaded
# switches (scenarios/lib/cascade.sh): two memdevs below a switch that
# sits below another switch, the accelerator beside that second switch,
# one memdev on the other host bridge. Enumeration walks up two levels of
# switch here, which the one-switch topologies never make it do:
#   race-cascade-walk      a port that a sibling adds above the level the
#                          walk found missing (patches/fixes/: "Restart
#                          port enumeration when a port appears above a
#                          missing one"; scenarios/fixes-cascade.sh on
#                          the base)
#   race-sibling-reap      a port found, then reaped by its last
#                          memdev's unbind (fixes/0006)
#   race-switch-port-probe, race-dead-port-lock
#                          fixes/0006, on a switch's port whose parent is
#                          a switch's port
#   race-enumerate-dport   fixes/0007, on the deepest switch's port
# and the chaos (seed and sites as in scenarios/hw-chaos.sh), then
# kmemleak. In make check-full: about 12 min of guest.
# shellcheck source=scenarios/lib/cascade.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/cascade.sh"
KERNEL_ARGS="cxlsoak=${SOAK:-0} cxlfull=${FULL:-0} slab_nomerge"
KERNEL_ARGS+=" cxlseed=${SEED:-} cxlchaos=${CHAOS_SECONDS:-}"
KERNEL_ARGS+=" cxlexplore=${EXPLORE:-} cxlslice=${SLICE:-}"
MODULE_FLAVOR=intree
SETS=(series)
TESTS=(attach-on-return accel-attach race-cascade-walk race-sibling-reap race-switch-port-probe race-dead-port-lock
	race-enumerate-dport chaos kmemleak)
TIMEOUT=3600
TEST_TIMEOUT=1800
