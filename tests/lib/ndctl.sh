# shellcheck shell=bash
# Run one test script of ndctl 81's suite, built by scripts/build-ndctl.sh,
# as a KTAP test: sourced by tests/ndctl-<name>.sh after NDCTL_TEST=<name>.
# The script's output becomes KTAP diagnostics; its exit status 0 / 77 /
# other maps to ok / skip / not ok. Like every test here it starts and ends
# with no CXL module loaded.
#
# A wrapper may declare a known failure of ndctl 81 on this kernel:
# NDCTL_KNOWN_FAILURE=<line> and NDCTL_KNOWN_WHY=<reason>. Failing at exactly
# that line reports XFAIL with the reason; failing anywhere else still fails.
# shellcheck source=tests/lib/cxl.sh
. "$(dirname "${BASH_SOURCE[0]}")/cxl.sh"
: "${NDCTL_TEST:?set NDCTL_TEST to the name of an ndctl test script}"

NDCTL_BUILD=${CXLBUILD:-$(dirname "$TESTS_DIR")/build}/ndctl
ndctl_src=$(echo "$NDCTL_BUILD"/ndctl-*/test)
ndctl_out=$NDCTL_BUILD/build
script=$ndctl_src/$NDCTL_TEST.sh

ktap_print_header
if [ ! -x "$ndctl_out/cxl/cxl" ] || [ ! -r "$script" ]; then
	ktap_exit_fail_msg "no ndctl test suite in $NDCTL_BUILD: run scripts/build-ndctl.sh"
fi
ktap_set_plan 1
cxl_reset || ktap_exit_fail_msg "could not unload the CXL modules"

# No journald here: ndctl's check_dmesg reads the kernel log through a
# stand-in (tests/lib/bin/journalctl). No udev either: cxl_test's mock
# memdevs need cxl_mock_mem loaded after it, as udev would, and
# "udevadm settle" has a stand-in too (tests/lib/bin/udevadm).
export PATH=$TESTS_DIR/lib/bin:$PATH
echo "softdep cxl_test post: cxl_mock_mem" >/etc/modprobe.d/ndctl-cxl-test.conf

log=/tmp/ndctl-$NDCTL_TEST.log
start=$SECONDS rc=0
(cd /tmp && env NDCTL="$ndctl_out/ndctl/ndctl" CXL="$ndctl_out/cxl/cxl" \
	DAXCTL="$ndctl_out/daxctl/daxctl" TEST_PATH="$ndctl_out/test" \
	DATA_PATH="$ndctl_src" bash "$script") >"$log" 2>&1 || rc=$?
sed 's/^/# /' "$log"
ktap_print_msg "$NDCTL_TEST.sh: exit $rc after $((SECONDS - start))s"

for m in cxl_mock_mem cxl_test; do
	[ ! -d "/sys/module/$m" ] || modprobe -r "$m"
done
cxl_reset || { ktap_test_fail "ndctl $NDCTL_TEST (CXL modules left loaded)"; exit "$KSFT_FAIL"; }
case $rc in
0) ktap_test_pass "ndctl $NDCTL_TEST" ;;
77) ktap_test_skip "ndctl $NDCTL_TEST"; exit "$KSFT_SKIP" ;;
*) if [ -n "${NDCTL_KNOWN_FAILURE:-}" ] &&
	grep -qx "test/$NDCTL_TEST.sh: failed at line $NDCTL_KNOWN_FAILURE" "$log"; then
	ktap_test_xfail "ndctl $NDCTL_TEST: ${NDCTL_KNOWN_WHY:-known failure}"
   else
	ktap_test_fail "ndctl $NDCTL_TEST (exit $rc)"
   fi ;;
esac
ktap_finished
