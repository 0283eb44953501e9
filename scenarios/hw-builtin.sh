# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# The emulated hardware of scenarios/hw.sh, booting the series with every
# CXL driver built in and a memdev creator built in ahead of drivers/cxl
# (module set series-builtin, scripts/build-builtin.sh: a kernel of its own,
# about 15 minutes cold, so make check-full only).
# shellcheck source=scenarios/hw.sh
. "$(dirname "${BASH_SOURCE[0]}")/hw.sh"
SETS=(series-builtin)
TESTS=(accel-builtin)
TIMEOUT=600
TEST_TIMEOUT=300
