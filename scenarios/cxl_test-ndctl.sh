# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# ndctl 81's CXL tests that exercise attach (tests/ndctl-*.sh; check.sh builds
# ndctl first with scripts/build-ndctl.sh) on tools/testing/cxl's mock
# topology: the cxl_test scenario's machine and modules, with its own test
# list and time budget. Under TCG with the debug kernel every "cxl" command
# walks sysfs for seconds, so these four take about 11 minutes; the rest of
# the suite, create-region (10 minutes alone) included, is in
# cxl_test-ndctl-extra (make check-full).
#
# make check runs them on the series only: they are upstream's tests of
# upstream's kernel, and the base's results (cxl-topology's known failure
# included) are recorded in tests/expected-base.txt. make check-full
# (FULL=1) runs the base too.
# shellcheck source=scenarios/cxl_test.sh
. "$(dirname "${BASH_SOURCE[0]}")/cxl_test.sh"
TESTS=(ndctl-cxl-topology ndctl-cxl-region-sysfs ndctl-cxl-labels ndctl-cxl-events)
SETS=(series ${FULL:+base})
# Alone, the four take about 10 minutes; with the machine shared, up to
# three times that.
TEST_TIMEOUT=1500
TIMEOUT=3000
