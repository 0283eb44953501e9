# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# The emulated hardware of scenarios/hw.sh, with the series' CXL modules
# built for CXL_PCI=n (scripts/install-modules.sh series-nopci): there is
# no cxl_pci, and an accelerator driver must attach with cxl_mem alone.
# shellcheck source=scenarios/hw.sh
. "$(dirname "${BASH_SOURCE[0]}")/hw.sh"
SETS=(series-nopci)
TESTS=(accel-without-cxl-pci)
TIMEOUT=600
TEST_TIMEOUT=300
