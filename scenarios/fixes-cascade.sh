# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# Port enumeration's reproducers on cascaded switches
# (scenarios/lib/cascade.sh), on the base, where tests/expected-base.txt
# names what fails, and on the base with the fixes alone (module set
# "fixes"):
#   race-cascade-walk   fixes/0012: the walk carries on upward past the
#                       ports a sibling added below it
#   race-sibling-reap   fixes/0006: a port found, then reaped by its last
#                       memdev's unbind, fails the probe with -ENXIO
# Neither set has cxl_mock_accel: every function is a Type-3 device of
# cxl_pci (cxlaccel=0, tests/lib/stress.sh).
# shellcheck source=scenarios/lib/cascade.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/cascade.sh"
KERNEL_ARGS="cxlsoak=${SOAK:-0} cxlfull=${FULL:-0} cxlaccel=0"
MODULE_FLAVOR=intree
SETS=(fixes base)
TESTS=(race-cascade-walk race-sibling-reap)
TIMEOUT=1200
TEST_TIMEOUT=600
