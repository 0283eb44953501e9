# shellcheck shell=bash
# Same emulated hardware as hw, with every driver probed asynchronously.
# shellcheck source=scenarios/hw.sh
. "$(dirname "${BASH_SOURCE[0]}")/hw.sh"
KERNEL_ARGS+=" driver_async_probe=*"
TESTS=(attach-on-return accel-attach kmemleak)
