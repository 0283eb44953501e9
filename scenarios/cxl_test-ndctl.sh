# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# ndctl 81's CXL tests that exercise attach (tests/ndctl-*.sh; check.sh builds
# ndctl first with scripts/build-ndctl.sh) on tools/testing/cxl's mock
# topology: the cxl_test scenario's machine and modules, with its own test
# list and time budget. Under TCG with the debug kernel every "cxl" command
# walks sysfs for seconds, so these take about 13 minutes; the rest of the
# suite is in cxl_test-ndctl-extra (make check-full).
#
# make check-full runs them, on the series and the base (BASE_TOO=1), as
# does make check SCENARIOS=cxl_test-ndctl on the series: they are
# upstream's tests of upstream's kernel, and the base's results
# (cxl-topology's known failure included) are recorded in
# tests/expected-base.txt. make check leaves them out, for CI's time
# (scenarios/ORDER).
# shellcheck source=scenarios/cxl_test.sh
. "$(dirname "${BASH_SOURCE[0]}")/cxl_test.sh"
# cxl-topology (an expected failure with ndctl 81, 9 min) and
# create-region (17 min) run in cxl_test-ndctl-extra: beside the hw-fault
# guest they took 26 of this guest's 40 min (CI rehearsal at 0e7dbd2), and
# make check must fit CI's 90 min.
TESTS=(ndctl-cxl-region-sysfs ndctl-cxl-labels ndctl-cxl-events)
SETS=(series ${BASE_TOO:+base})
# Alone, create-region took about 10 min and five tests about 20; with
# the machine shared, 12 and 34 minutes: room for twice that.
TEST_TIMEOUT=1500
TIMEOUT=4200
