# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# The rest of ndctl 81's CXL suite, for make check-full, on the series and
# the base: about 40 minutes under TCG. See scenarios/cxl_test-ndctl.sh.
# shellcheck source=scenarios/cxl_test-ndctl.sh
. "$(dirname "${BASH_SOURCE[0]}")/cxl_test-ndctl.sh"
TESTS=(ndctl-cxl-topology ndctl-cxl-create-region ndctl-cxl-xor-region ndctl-cxl-sanitize
	ndctl-cxl-destroy-region ndctl-cxl-qos-class ndctl-cxl-poison
	ndctl-cxl-update-firmware ndctl-cxl-security)
SETS=(series base)
TIMEOUT=6000
