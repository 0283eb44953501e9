# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# The reproducer of patches/fixes/ "Restart port enumeration when a port
# appears above a missing one" on cascaded switches
# (scenarios/lib/cascade.sh), on the base, where tests/expected-base.txt
# names it, and on the base with the fixes alone (module set "fixes").
# Neither set has cxl_mock_accel: every function is a Type-3 device of
# cxl_pci (cxlaccel=0, tests/lib/stress.sh).
# shellcheck source=scenarios/lib/cascade.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/cascade.sh"
KERNEL_ARGS="cxlsoak=${SOAK:-0} cxlfull=${FULL:-0} cxlaccel=0"
MODULE_FLAVOR=intree
SETS=(fixes base)
TESTS=(race-cascade-walk)
TIMEOUT=1200
TEST_TIMEOUT=600
