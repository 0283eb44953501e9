# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# ndctl 81's CXL test suite (tests/ndctl-*.sh; build it first with
# scripts/build-ndctl.sh) on tools/testing/cxl's mock topology: the cxl_test
# scenario's machine and modules, with its own test list and time budget.
# Kept apart from cxl_test because under TCG with the debug kernel these take
# about 30 minutes together.
#
# Left out: ndctl-cxl-topology. ndctl 81's test/cxl-topology.sh fails at line
# 183 on the base and the series alike: since 6.18 a host bridge port re-adds
# its dports only as endpoints attach, so "cxl enable-port <bridge> -m" finds
# no dport to match a memdev against and enables none.
# shellcheck source=scenarios/cxl_test.sh
. "$(dirname "${BASH_SOURCE[0]}")/cxl_test.sh"
TESTS=(ndctl-cxl-region-sysfs ndctl-cxl-labels ndctl-cxl-create-region
	ndctl-cxl-xor-region ndctl-cxl-events ndctl-cxl-sanitize
	ndctl-cxl-destroy-region ndctl-cxl-qos-class ndctl-cxl-poison
	ndctl-cxl-update-firmware ndctl-cxl-security)
TEST_TIMEOUT=900
TIMEOUT=3600
