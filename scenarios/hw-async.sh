# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# Same emulated hardware as hw, with every driver probed asynchronously.
# shellcheck source=scenarios/hw.sh
. "$(dirname "${BASH_SOURCE[0]}")/hw.sh"
KERNEL_ARGS+=" driver_async_probe=*"
# the base in check-full and SERIES=none only (see scenarios/cxl_test.sh)
SETS=(series ${BASE_TOO:+base})
TESTS=(attach-on-return accel-attach kmemleak)
